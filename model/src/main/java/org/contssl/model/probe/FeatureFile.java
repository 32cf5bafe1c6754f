package org.contssl.model.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.contssl.core.AtomicFiles;

/**
 * On-disk cache of one (checkpoint, dataset) feature matrix, so features are extracted once and every probe (linear,
 * kNN, a restarted partition) reads them back in milliseconds.
 *
 * <p>Format (little-endian): magic "CSSLFEAT", int version 1, int rows, int dim, int numClasses, rows*dim float32
 * features (row-major), rows int32 labels, then a CRC32C (as int) of everything before it. Written through
 * {@link AtomicFiles} (synced temp file, rename), so a crash leaves no half-written cache; {@link #read} rejects a
 * file whose checksum or size does not match, and the caller re-extracts.
 */
public final class FeatureFile {
    private static final byte[] MAGIC = {'C', 'S', 'S', 'L', 'F', 'E', 'A', 'T'};
    private static final int VERSION = 1;
    private static final int HEADER = MAGIC.length + 4 * 4;

    private FeatureFile() {}

    public static void write(FeatureMatrix m, Path file) throws IOException {
        long payload = (long) HEADER + 4L * m.values().length + 4L * m.rows();
        if (payload + 4 > Integer.MAX_VALUE) {
            throw new IOException(file + ": " + m.rows() + " x " + m.dim() + " features exceed the 2 GiB heap cache limit; stream them with MappedFeatureFile");
        }
        ByteBuffer b = ByteBuffer.allocate((int) payload + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(m.rows()).putInt(m.dim()).putInt(m.numClasses());
        b.asFloatBuffer().put(m.values());
        b.position(b.position() + 4 * m.values().length);
        b.asIntBuffer().put(m.labels());
        b.position(b.position() + 4 * m.rows());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, (int) payload);
        b.putInt((int) crc.getValue());
        try {
            AtomicFiles.write(file, b.array()); // the buffer is exactly the file: header, payload, checksum
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
    }

    public static FeatureMatrix read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": feature cache not found; extract the features first");
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length < HEADER + 4) {
            throw new IOException(file + ": feature cache truncated (" + all.length + " bytes); delete it to re-extract");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(file + ": not a contssl feature cache (bad magic); delete it to re-extract");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IOException(file + ": feature cache version " + version + " is not " + VERSION + "; delete it to re-extract");
        }
        int rows = b.getInt(), dim = b.getInt(), nc = b.getInt();
        long expected = (long) HEADER + 4L * rows * dim + 4L * rows + 4;
        if (rows <= 0 || dim <= 0 || expected != all.length) {
            throw new IOException(file + ": feature cache size " + all.length + " does not match its header (" + rows + " x " + dim + "); delete it to re-extract");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        int stored = ByteBuffer.wrap(all, all.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException(file + ": feature cache checksum mismatch (corrupt); delete it to re-extract");
        }
        float[] values = new float[Math.multiplyExact(rows, dim)];
        b.asFloatBuffer().get(values);
        b.position(b.position() + 4 * values.length);
        int[] labels = new int[rows];
        b.asIntBuffer().get(labels);
        return new FeatureMatrix(values, rows, dim, labels, nc);
    }
}
