package org.contssl.model.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a file {@code torch.load} reads without contssl: torch's zip container ({@code archive/data.pkl},
 * {@code archive/data/<i>} raw little-endian storages, {@code archive/byteorder}, {@code archive/version}), every
 * record stored uncompressed with its data aligned to 64 bytes as torch's own writer does. The pickle is a dict
 * holding {@code state_dict} (an OrderedDict of tensors, rebuilt by {@code torch._utils._rebuild_tensor_v2}) and
 * the given string/int entries, so it also loads under {@code torch.load(weights_only=True)}.
 */
public final class TorchZipWriter {
    private static final String ROOT = "archive/";
    private static final int ALIGN = 64;
    /** A fixed entry time (2020-01-01) keeps the bytes of an export reproducible. */
    private static final long ENTRY_TIME = 1577836800000L;

    private TorchZipWriter() {
    }

    /**
     * @param extras top-level entries besides {@code state_dict}: String or Long values only
     */
    public static void write(OutputStream target, List<ExportTensor> tensors, Map<String, Object> extras)
            throws IOException {
        PickleWriter p = new PickleWriter().emptyDict().mark();
        for (Map.Entry<String, Object> e : extras.entrySet()) {
            p.string(e.getKey());
            if (e.getValue() instanceof Long v) {
                p.integer(v);
            } else if (e.getValue() instanceof String s) {
                p.string(s);
            } else {
                throw new IllegalArgumentException("extra " + e.getKey() + " must be a String or a Long");
            }
        }
        p.string("state_dict").orderedDict().mark();
        for (int i = 0; i < tensors.size(); i++) {
            ExportTensor t = tensors.get(i);
            p.string(t.name()).global("torch._utils", "_rebuild_tensor_v2").mark();
            p.mark().string("storage").global("torch", t.dtype().storageClass()).string(Integer.toString(i))
                    .string("cpu").integer(t.numel()).tuple().persistentId();
            p.integer(0);
            p.mark();
            for (long d : t.shape()) {
                p.integer(d);
            }
            p.tuple().mark();
            for (long s : t.stride()) {
                p.integer(s);
            }
            p.tuple().bool(false).orderedDict().tuple().reduce();
        }
        p.setItems().setItems();
        byte[] pickle = p.finish();

        Counting counted = new Counting(target);
        ZipOutputStream zip = new ZipOutputStream(counted, StandardCharsets.UTF_8);
        zip.setMethod(ZipOutputStream.STORED);
        put(zip, counted, ROOT + "data.pkl", pickle);
        put(zip, counted, ROOT + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < tensors.size(); i++) {
            put(zip, counted, ROOT + "data/" + i, tensors.get(i).data());
        }
        put(zip, counted, ROOT + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
        zip.flush();
    }

    private static void put(ZipOutputStream zip, Counting counted, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(ENTRY_TIME);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        // local header = 30 bytes + name + extra; pad the extra field so the data starts on a 64-byte boundary
        int nameLen = name.getBytes(StandardCharsets.UTF_8).length;
        long dataStart = counted.count + 30 + nameLen + 4;
        int pad = (int) ((ALIGN - dataStart % ALIGN) % ALIGN);
        byte[] extra = new byte[4 + pad];
        extra[0] = 'F';
        extra[1] = 'B';
        extra[2] = (byte) pad;
        extra[3] = (byte) (pad >>> 8);
        e.setExtra(extra);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Counts bytes written below the zip stream, which is where local headers start. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
