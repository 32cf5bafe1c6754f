package org.contssl.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens a PyTorch weights file without Python: {@code torch.save}'s zip container ({@code <name>/data.pkl} plus one
 * raw little-endian entry per storage under {@code <name>/data/}), its legacy pre-1.6 stream (three header pickles,
 * the object pickle, the storage key list, then each storage as an int64 element count and its raw bytes), or a
 * safetensors file (8-byte header length, JSON header, raw data). {@link #root()} is the saved object, decoded by
 * the strict {@link Unpickler}; tensor data is read on demand.
 */
public final class TorchCheckpointReader implements AutoCloseable {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;
    private static final int MAX_SAFETENSORS_HEADER = 100 << 20;

    private final String source;
    private final FileChannel channel;
    private final ZipFile zip;
    private final String zipRoot;
    /** Legacy and safetensors: where each storage's first byte is in the file. */
    private final Map<String, Long> storageOffsets = new HashMap<>();
    private Object root;

    private TorchCheckpointReader(Path file, FileChannel channel, ZipFile zip, String zipRoot) {
        this.source = file.toString();
        this.channel = channel;
        this.zip = zip;
        this.zipRoot = zipRoot;
    }

    /** The first bytes of a file, to tell the formats apart. */
    static byte[] head(Path file, int n) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read until full or end of file
            }
            byte[] out = new byte[b.position()];
            b.flip().get(out);
            return out;
        }
    }

    /** True when {@code head} starts a zip container, a legacy torch stream or a safetensors file. */
    static boolean recognises(byte[] head) {
        return isZip(head) || isLegacy(head) || isSafetensors(head);
    }

    /** Opens and parses {@code file}; a file in none of the three formats is a {@link CheckpointFormatException}. */
    public static TorchCheckpointReader open(Path file) throws IOException {
        byte[] head = head(file, 16);
        if (isZip(head)) {
            return openZip(file);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            TorchCheckpointReader r = new TorchCheckpointReader(file, ch, null, null);
            if (isLegacy(head)) {
                r.readLegacy();
            } else if (isSafetensors(head)) {
                r.readSafetensors();
            } else {
                throw new CheckpointFormatException(file + " is not a PyTorch checkpoint, a safetensors file or a "
                        + "contssl checkpoint (it starts with bytes " + hex(head) + ")");
            }
            return r;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The saved object: usually a dict holding {@code state_dict}, or the state_dict itself. */
    public Object root() {
        return root;
    }

    public String source() {
        return source;
    }

    /** The elements of a floating-point tensor, converted to float32, in row-major order. */
    public float[] readFloats(TensorRef t, String name) throws IOException {
        if (!t.dtype().floating()) {
            throw new CheckpointFormatException(source + ": tensor " + name + " holds " + t.dtype()
                    + " values, expected floating point");
        }
        ByteBuffer raw = storageBytes(t, name);
        int n = Math.toIntExact(t.numel());
        float[] out = new float[n];
        int[] index = new int[t.shape().length];
        for (int i = 0; i < n; i++) {
            int e = Math.toIntExact(element(t, index) - t.offset());
            out[i] = switch (t.dtype()) {
                case FLOAT32 -> raw.getFloat(e * 4);
                case FLOAT64 -> (float) raw.getDouble(e * 8);
                case FLOAT16 -> halfToFloat(raw.getShort(e * 2));
                default -> Float.intBitsToFloat((raw.getShort(e * 2) & 0xffff) << 16); // bfloat16
            };
            next(index, t.shape());
        }
        return out;
    }

    /** The value of a one-element integer tensor (e.g. BatchNorm's {@code num_batches_tracked}). */
    public long readLongScalar(TensorRef t, String name) throws IOException {
        if (t.dtype() != TorchDtype.INT64 || t.numel() != 1) {
            throw new CheckpointFormatException(source + ": tensor " + name + " should be one int64 value, it is "
                    + t.dtype() + " with " + t.numel() + " elements");
        }
        return storageBytes(t, name).getLong(0);
    }

    /** IEEE binary16 → float32 (exact: every half value is a float). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero)
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static long element(TensorRef t, int[] index) {
        long e = t.offset();
        for (int d = 0; d < index.length; d++) {
            e += index[d] * t.stride()[d];
        }
        return e;
    }

    private static void next(int[] index, long[] shape) {
        for (int d = index.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return;
            }
            index[d] = 0;
        }
    }

    /** The storage bytes from the tensor's first to its last element, little-endian. */
    private ByteBuffer storageBytes(TensorRef t, String name) throws IOException {
        long last = t.offset();
        for (int d = 0; d < t.shape().length; d++) {
            if (t.shape()[d] == 0) {
                return ByteBuffer.allocate(0);
            }
            last += (t.shape()[d] - 1) * t.stride()[d];
        }
        TensorRef.Storage s = t.storage();
        if (last >= s.numel()) {
            throw new CheckpointFormatException(source + ": tensor " + name + " reaches element " + last
                    + " of a storage of " + s.numel() + ": the file is damaged");
        }
        int size = s.dtype().bytes();
        long from = t.offset() * size;
        int len = Math.toIntExact((last + 1 - t.offset()) * size);
        ByteBuffer buf = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        if (zip != null) {
            ZipEntry e = zip.getEntry(zipRoot + "data/" + s.key());
            if (e == null) {
                throw new CheckpointFormatException(source + " lacks the data of storage " + s.key() + " (tensor "
                        + name + "): the file is damaged");
            }
            if (e.getSize() >= 0 && e.getSize() < s.numel() * size) {
                throw new CheckpointFormatException(source + ": storage " + s.key() + " has " + e.getSize()
                        + " bytes for " + s.numel() + " elements: the file is damaged");
            }
            try (InputStream in = zip.getInputStream(e)) {
                in.skipNBytes(from);
                int got = in.readNBytes(buf.array(), 0, len);
                if (got != len) {
                    throw new CheckpointFormatException(source + ": storage " + s.key() + " ends early (tensor "
                            + name + "): the file is damaged");
                }
            }
        } else {
            long at = storageOffsets.get(s.key()) + from;
            while (buf.hasRemaining()) {
                if (channel.read(buf, at + buf.position()) < 0) {
                    throw new CheckpointFormatException(source + " ends inside the data of tensor " + name
                            + ": the file is truncated, use a complete copy");
                }
            }
            buf.clear();
        }
        return buf;
    }

    private static TorchCheckpointReader openZip(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointFormatException(file + " is not a complete zip checkpoint (" + e.getMessage()
                    + "): the file is truncated or damaged, use a complete copy", e);
        }
        try {
            String rootDir = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                String n = en.nextElement().getName();
                int slash = n.indexOf('/');
                if (slash > 0 && n.substring(slash + 1).equals("data.pkl")) {
                    if (rootDir != null) {
                        throw new CheckpointFormatException(file + " holds two data.pkl records: not a torch.save file");
                    }
                    rootDir = n.substring(0, slash + 1);
                }
            }
            if (rootDir == null) {
                throw new CheckpointFormatException(file + " is a zip file without <name>/data.pkl: not a "
                        + "torch.save checkpoint");
            }
            ZipEntry order = zip.getEntry(rootDir + "byteorder");
            if (order != null) {
                try (InputStream in = zip.getInputStream(order)) {
                    String o = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
                    if (!o.equals("little")) {
                        throw new CheckpointFormatException(file + " was saved on a " + o + "-endian machine: "
                                + "re-save it on a little-endian one");
                    }
                }
            }
            TorchCheckpointReader r = new TorchCheckpointReader(file, null, zip, rootDir);
            try (InputStream in = new BufferedInputStream(zip.getInputStream(zip.getEntry(rootDir + "data.pkl")))) {
                r.root = Unpickler.load(in, file.toString(), (pid, dtype) -> {
                    // zip format: ('storage', storage class, key, location, numel)
                    if (!(pid.get(2) instanceof String key) || !(pid.get(4) instanceof Long numel)) {
                        throw new CheckpointFormatException(file + " has a malformed storage reference");
                    }
                    return new TensorRef.Storage(dtype, key, numel);
                });
            }
            return r;
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private void readLegacy() throws IOException {
        CountingStream in = new CountingStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
        Unpickler.PersistentLoader none = (pid, dtype) -> {
            throw new CheckpointFormatException(source + " has a tensor in its header");
        };
        Object magic = Unpickler.load(in, source, none);
        if (!LEGACY_MAGIC.equals(magic instanceof Long l ? BigInteger.valueOf(l) : magic)) {
            throw new CheckpointFormatException(source + " is a pickle but not a torch.save checkpoint (no torch "
                    + "magic number)");
        }
        Object protocol = Unpickler.load(in, source, none);
        if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
            throw new CheckpointFormatException(source + " uses torch legacy protocol " + protocol
                    + ": re-save it with a current torch (torch.save writes the zip format)");
        }
        Object sysInfo = Unpickler.load(in, source, none);
        if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new CheckpointFormatException(source + " was saved on a big-endian machine: re-save it on a "
                    + "little-endian one");
        }
        Map<String, TorchDtype> types = new LinkedHashMap<>();
        root = Unpickler.load(in, source, (pid, dtype) -> {
            // legacy: ('storage', storage class, key, location, numel, view metadata)
            if (pid.size() != 6 || !(pid.get(2) instanceof String key) || !(pid.get(4) instanceof Long numel)) {
                throw new CheckpointFormatException(source + " has a malformed storage reference");
            }
            if (pid.get(5) != null) {
                throw new CheckpointFormatException(source + " holds storage views of the pre-1.6 format: re-save "
                        + "it with a current torch (torch.save writes the zip format)");
            }
            types.put(key, dtype);
            return new TensorRef.Storage(dtype, key, numel);
        });
        Object keys = Unpickler.load(in, source, none);
        if (!(keys instanceof List<?> keyList)) {
            throw new CheckpointFormatException(source + " has no storage key list after its object");
        }
        long at = in.count;
        ByteBuffer count = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (Object k : keyList) {
            TorchDtype t = types.get(String.valueOf(k));
            if (t == null) {
                throw new CheckpointFormatException(source + " lists storage " + k + " that no tensor uses");
            }
            count.clear();
            while (count.hasRemaining()) {
                if (channel.read(count, at + count.position()) < 0) {
                    throw new CheckpointFormatException(source + " ends before the data of storage " + k
                            + ": the file is truncated, use a complete copy");
                }
            }
            long n = count.getLong(0);
            storageOffsets.put(String.valueOf(k), at + 8);
            at += 8 + n * t.bytes();
        }
        if (at > channel.size()) {
            throw new CheckpointFormatException(source + " is " + channel.size() + " bytes but its storages need "
                    + at + ": the file is truncated, use a complete copy");
        }
    }

    private void readSafetensors() throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(len, 0);
        long n = len.getLong(0);
        ByteBuffer header = ByteBuffer.allocate((int) n);
        while (header.hasRemaining()) {
            if (channel.read(header, 8 + header.position()) < 0) {
                throw new CheckpointFormatException(source + " ends inside its safetensors header: the file is "
                        + "truncated, use a complete copy");
            }
        }
        long dataStart = 8 + n;
        JsonNode json = new ObjectMapper().readTree(header.array());
        Map<Object, Object> tensors = new LinkedHashMap<>();
        long end = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode v = e.getValue();
            TorchDtype t = TorchDtype.ofSafetensors(v.path("dtype").asText());
            JsonNode off = v.path("data_offsets");
            if (t == null || !v.path("shape").isArray() || off.size() != 2) {
                throw new CheckpointFormatException(source + ": safetensors entry " + e.getKey()
                        + " has an unknown dtype or a malformed shape/offsets");
            }
            List<Long> shape = new ArrayList<>();
            v.path("shape").forEach(d -> shape.add(d.asLong()));
            long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
            long[] stride = new long[dims.length];
            long numel = 1;
            for (int d = dims.length - 1; d >= 0; d--) {
                stride[d] = numel;
                numel *= dims[d];
            }
            long begin = off.get(0).asLong();
            if (off.get(1).asLong() - begin != numel * t.bytes() || begin < 0) {
                throw new CheckpointFormatException(source + ": safetensors entry " + e.getKey()
                        + " has offsets that do not fit its shape");
            }
            storageOffsets.put(e.getKey(), dataStart + begin);
            end = Math.max(end, off.get(1).asLong());
            tensors.put(e.getKey(), new TensorRef(new TensorRef.Storage(t, e.getKey(), numel), 0, dims, stride));
        }
        if (dataStart + end > channel.size()) {
            throw new CheckpointFormatException(source + " is " + channel.size() + " bytes but its tensors need "
                    + (dataStart + end) + ": the file is truncated, use a complete copy");
        }
        root = tensors;
    }

    private static boolean isZip(byte[] h) {
        return h.length >= 4 && h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4;
    }

    private static boolean isLegacy(byte[] h) {
        // PROTO 2, then the magic number as LONG1 of 10 bytes
        return h.length >= 4 && (h[0] & 0xff) == 0x80 && (h[2] & 0xff) == 0x8a && h[3] == 10;
    }

    private static boolean isSafetensors(byte[] h) {
        if (h.length < 9) {
            return false;
        }
        long n = ByteBuffer.wrap(h, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 1 && n < MAX_SAFETENSORS_HEADER && h[8] == '{';
    }

    private static String hex(byte[] h) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, h.length); i++) {
            sb.append(String.format("%02x", h[i]));
        }
        return sb.length() == 0 ? "(empty file)" : sb.toString();
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
        if (channel != null) {
            channel.close();
        }
    }

    /** Counts the bytes the unpickler consumed, so the legacy storages can be located after the pickles. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
