package org.contssl.model.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.contssl.core.AtomicFiles;

/**
 * A {@link FeatureFile} (same byte layout, version 1) read through memory maps instead of into the heap, for feature
 * sets far beyond 2 GiB: 1,281,167 x 2,048 float32 features are 10.5 GB, so every size and offset here is a
 * {@code long}, and rows are gathered mini-batch by mini-batch into a caller-owned buffer.
 *
 * <p>The feature block is mapped in segments of whole rows (at most 1 GiB each, since one {@code MappedByteBuffer}
 * is int-indexed), so a row never straddles two maps. Only the labels (4 bytes a row) live in the heap.
 * {@link #create} streams rows to a temporary file and publishes it atomically, so features never sit whole in the heap
 * on the write side either.
 */
public final class MappedFeatureFile implements AutoCloseable {
    static final long HEADER = 8 + 4 * 4;
    static final long MAX_SEGMENT_BYTES = 1L << 30;

    private final Path file;
    private final FileChannel channel;
    private final FloatBuffer[] segments;
    private final long rowsPerSegment;
    private final int rows;
    private final int dim;
    private final int numClasses;
    private final int[] labels;

    private MappedFeatureFile(Path file, FileChannel channel, FloatBuffer[] segments, long rowsPerSegment, int rows,
                              int dim, int numClasses, int[] labels) {
        this.file = file;
        this.channel = channel;
        this.segments = segments;
        this.rowsPerSegment = rowsPerSegment;
        this.rows = rows;
        this.dim = dim;
        this.numClasses = numClasses;
        this.labels = labels;
    }

    /**
     * Maps {@code file}. With {@code verify} the whole file's CRC32C is checked first (one sequential read; skip it
     * for a file this process has just written).
     */
    public static MappedFeatureFile open(Path file, boolean verify) throws IOException {
        return open(file, verify, MAX_SEGMENT_BYTES);
    }

    static MappedFeatureFile open(Path file, boolean verify, long maxSegmentBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": feature cache not found; extract the features first");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate((int) HEADER).order(ByteOrder.LITTLE_ENDIAN);
            if (size < HEADER + 4 || ch.read(h, 0) != HEADER) {
                throw new IOException(file + ": feature cache truncated (" + size + " bytes); delete it to re-extract");
            }
            h.flip();
            long magic = h.getLong();
            int version = h.getInt(), rows = h.getInt(), dim = h.getInt(), nc = h.getInt();
            if (magic != magic()) {
                throw new IOException(file + ": not a contssl feature cache (bad magic); delete it to re-extract");
            }
            if (version != 1) {
                throw new IOException(file + ": feature cache version " + version + " is not 1; delete it to re-extract");
            }
            long featureBytes = 4L * rows * dim;
            if (rows <= 0 || dim <= 0 || size != HEADER + featureBytes + 4L * rows + 4) {
                throw new IOException(file + ": feature cache size " + size + " does not match its header (" + rows + " x " + dim + "); delete it to re-extract");
            }
            if (verify) {
                verifyChecksum(ch, size, file);
            }
            long rowBytes = 4L * dim;
            long perSeg = Math.max(1, maxSegmentBytes / rowBytes);
            int nseg = (int) ((rows + perSeg - 1) / perSeg);
            FloatBuffer[] segs = new FloatBuffer[nseg];
            for (int s = 0; s < nseg; s++) {
                long first = s * perSeg;
                long count = Math.min(perSeg, rows - first);
                segs[s] = ch.map(FileChannel.MapMode.READ_ONLY, HEADER + first * rowBytes, count * rowBytes)
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            }
            ByteBuffer lb = ByteBuffer.allocate(Math.multiplyExact(4, rows)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lb, HEADER + featureBytes);
            lb.flip();
            int[] labels = new int[rows];
            lb.asIntBuffer().get(labels);
            for (int i = 0; i < rows; i++) {
                if (labels[i] < 0 || labels[i] >= nc) {
                    throw new IOException(file + ": label " + labels[i] + " of row " + i + " is outside [0, " + nc + "); delete it to re-extract");
                }
            }
            return new MappedFeatureFile(file, ch, segs, perSeg, rows, dim, nc, labels);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path file() { return file; }
    public int rows() { return rows; }
    public int dim() { return dim; }
    public int numClasses() { return numClasses; }
    public int label(int row) { return labels[row]; }
    /** Bytes of the feature block (rows x dim x 4), as a long: 10.5 GB at ImageNet scale. */
    public long featureBytes() { return 4L * rows * dim; }

    /** Copies row {@code row} (dim floats) into {@code dst} at {@code dstOffset}. Safe to call from several threads. */
    public void readRow(int row, float[] dst, int dstOffset) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("feature row " + row + " of " + rows);
        }
        int seg = (int) (row / rowsPerSegment);
        int pos = (int) ((row - seg * rowsPerSegment) * dim); // < 2^28 floats: fits an int by construction
        segments[seg].get(pos, dst, dstOffset, dim);
    }

    /** Gathers rows {@code order[from..from+count)} into {@code dst}, row-major ({@code count * dim} floats). */
    public void gather(int[] order, int from, int count, float[] dst) {
        if ((long) count * dim > dst.length) {
            throw new IllegalArgumentException("gather: " + count + " rows of " + dim + " do not fit " + dst.length + " floats");
        }
        for (int i = 0; i < count; i++) {
            readRow(order[from + i], dst, i * dim);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close(); // the maps stay valid until collected; nothing is written through them
    }

    /** Starts a streamed write of a {@code rows x dim} cache to {@code target} (see {@link Writer}). */
    public static Writer create(Path target, int rows, int dim, int numClasses) throws IOException {
        return new Writer(target, rows, dim, numClasses);
    }

    /**
     * Appends rows in order to a temporary sibling of the target; {@link #commit} adds the labels and the CRC32C,
     * syncs and renames. Closing without committing deletes the temporary file, so a crash or an error never leaves a
     * half-written cache under the target's name.
     */
    public static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private final FileChannel ch;
        private final CRC32C crc = new CRC32C();
        private final ByteBuffer buf;
        private final int rows;
        private final int dim;
        private final int numClasses;
        private final int[] labels;
        private int written;
        private boolean done;

        private Writer(Path target, int rows, int dim, int numClasses) throws IOException {
            if (rows <= 0 || dim <= 0 || numClasses < 2) {
                throw new IllegalArgumentException("feature cache: need rows, dim > 0 and at least 2 classes, got " + rows + " x " + dim + ", " + numClasses + " classes");
            }
            this.target = target;
            this.tmp = AtomicFiles.tempSibling(target);
            this.rows = rows;
            this.dim = dim;
            this.numClasses = numClasses;
            this.labels = new int[rows];
            this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            this.buf = ByteBuffer.allocateDirect((int) Math.max(HEADER, Math.min(8L << 20, Math.max(4L * dim, 1L << 16))))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(magic()).putInt(1).putInt(rows).putInt(dim).putInt(numClasses);
        }

        /** Appends one row of {@code dim} floats from {@code src[off..]} with its label. */
        public void append(float[] src, int off, int label) throws IOException {
            if (written == rows) {
                throw new IllegalStateException("feature cache: all " + rows + " rows are already written");
            }
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("feature cache: label " + label + " outside [0, " + numClasses + ")");
            }
            for (int k = 0; k < dim; k++) {
                float v = src[off + k];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("feature cache: non-finite value " + v + " in row " + written + "; the encoder produced NaN/Inf features");
                }
                if (buf.remaining() < 4) {
                    flush();
                }
                buf.putFloat(v);
            }
            labels[written++] = label;
        }

        /** Writes the labels and checksum, syncs and atomically renames onto the target. */
        public void commit() throws IOException {
            if (written != rows) {
                throw new IllegalStateException("feature cache: " + written + " of " + rows + " rows written");
            }
            commitRows();
        }

        /**
         * As {@link #commit}, for a file holding fewer rows than announced (at least one): unreadable images were
         * left out during extraction. The header's row count is patched and the checksum recomputed with one
         * sequential read of the file.
         */
        public void commitWritten() throws IOException {
            if (written < 1) {
                throw new IllegalStateException("feature cache: no rows written");
            }
            commitRows();
        }

        public int written() { return written; }

        private void commitRows() throws IOException {
            for (int i = 0; i < written; i++) {
                if (buf.remaining() < 4) {
                    flush();
                }
                buf.putInt(labels[i]);
            }
            flush();
            if (written != rows) {
                ByteBuffer n = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, written);
                for (long at = 8 + 4; n.hasRemaining(); ) { // the rows field, after magic and version
                    at += ch.write(n, at);
                }
                crc.reset();
                long end = ch.size();
                ByteBuffer b = ByteBuffer.allocateDirect(8 << 20);
                for (long pos = 0; pos < end; ) {
                    b.clear().limit((int) Math.min(b.capacity(), end - pos));
                    readFully(ch, b, pos);
                    b.flip();
                    pos += b.remaining();
                    crc.update(b);
                }
            }
            buf.clear();
            buf.putInt((int) crc.getValue());
            buf.flip();
            AtomicFiles.writeFully(ch, buf);
            ch.force(true);
            ch.close();
            AtomicFiles.commit(tmp, target);
            done = true;
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.duplicate());
            AtomicFiles.writeFully(ch, buf);
            buf.clear();
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                ch.close();
                AtomicFiles.deleteQuietly(tmp);
            }
        }
    }

    /** "CSSLFEAT" read as a little-endian long, as {@link FeatureFile} writes it. */
    private static long magic() {
        return ByteBuffer.wrap(new byte[] {'C', 'S', 'S', 'L', 'F', 'E', 'A', 'T'}).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static void verifyChecksum(FileChannel ch, long size, Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer b = ByteBuffer.allocateDirect(8 << 20);
        long pos = 0, end = size - 4;
        while (pos < end) {
            b.clear().limit((int) Math.min(b.capacity(), end - pos));
            readFully(ch, b, pos);
            b.flip();
            pos += b.remaining();
            crc.update(b);
        }
        ByteBuffer s = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, s, end);
        if (s.getInt(0) != (int) crc.getValue()) {
            throw new IOException(file + ": feature cache checksum mismatch (corrupt); delete it to re-extract");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of feature cache");
            }
            pos += n;
        }
    }
}
