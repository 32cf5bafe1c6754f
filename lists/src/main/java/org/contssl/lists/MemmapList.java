package org.contssl.lists;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A read-only, memory-mapped list of image paths in the reference's format: {@code count} fixed-width records of
 * {@code recordWidth} bytes (default 120), each a UTF-8 path relative to a base directory, right-padded with NUL
 * bytes, no header — exactly {@code numpy.memmap(dtype='S120')}. An optional parallel file holds one little-endian
 * int32 label per record.
 *
 * <p>Opening maps the file (in chunks, so lists over 2 GiB work) and reads nothing else: a 10-million-record list opens
 * instantly with no heap proportional to its size. Every accessor is O(1) and thread-safe (absolute reads only).
 * Pages are released by the OS; {@link #close()} only drops this object's references (Java 17 cannot unmap eagerly),
 * so passes over a whole list read it block-wise with {@link ListScan} instead, keeping the resident set small.
 */
public final class MemmapList implements AutoCloseable {

    public static final int DEFAULT_RECORD_WIDTH = 120;

    /** Largest mapping per chunk; a multiple of the record width is used so no record straddles two chunks. */
    private static final long MAX_CHUNK_BYTES = 1L << 30;

    private final Path dataFile;
    private final Path sidecar;
    private final ListMetadata metadata;
    private final int width;
    private final long count;
    private final Path baseDir;
    private final Path labelsFile;
    private final PathRewrite rewrite;
    private final long chunkRecords;
    private final MappedByteBuffer[] chunks;
    private final MappedByteBuffer[] labelChunks;
    private final long labelChunkRecords;

    /**
     * How to open a list. Every field is optional: {@code null} means "take it from the sidecar, else the default"
     * (record width 120, count inferred from the file size, base directory = the list's directory, no labels,
     * no rewrite). An explicit value that contradicts the sidecar's record width is an error.
     */
    public record OpenOptions(Integer recordWidth, Long count, Path baseDir, Path labelsFile, PathRewrite rewrite) {
        public static OpenOptions defaults() {
            return new OpenOptions(null, null, null, null, null);
        }

        public OpenOptions withRecordWidth(Integer w) { return new OpenOptions(w, count, baseDir, labelsFile, rewrite); }
        public OpenOptions withCount(Long n) { return new OpenOptions(recordWidth, n, baseDir, labelsFile, rewrite); }
        public OpenOptions withBaseDir(Path d) { return new OpenOptions(recordWidth, count, d, labelsFile, rewrite); }
        public OpenOptions withLabelsFile(Path f) { return new OpenOptions(recordWidth, count, baseDir, f, rewrite); }
        public OpenOptions withRewrite(PathRewrite r) { return new OpenOptions(recordWidth, count, baseDir, labelsFile, r); }
    }

    /** Opens a list (or its sidecar {@code <list>.json}) with everything taken from the sidecar or the defaults. */
    public static MemmapList open(Path path) {
        return open(path, OpenOptions.defaults());
    }

    public static MemmapList open(Path path, OpenOptions opts) {
        return new MemmapList(path, opts == null ? OpenOptions.defaults() : opts, MAX_CHUNK_BYTES);
    }

    /** Test hook: small chunks exercise the multi-chunk addressing that lists over 1 GiB use. */
    static MemmapList open(Path path, OpenOptions opts, long maxChunkBytes) {
        return new MemmapList(path, opts == null ? OpenOptions.defaults() : opts, maxChunkBytes);
    }

    private MemmapList(Path path, OpenOptions opts, long maxChunkBytes) {
        Path sc = null;
        ListMetadata meta = null;
        Path data;
        if (Sidecars.isSidecar(path) && Files.isRegularFile(path)) {
            sc = path;
            meta = Sidecars.read(sc);
            String name = path.getFileName().toString();
            data = meta.dataFile() != null ? Sidecars.resolveStored(sc, meta.dataFile())
                    : path.resolveSibling(name.substring(0, name.length() - Sidecars.SUFFIX.length()));
        } else {
            data = path;
            Path candidate = Sidecars.sidecarOf(path);
            if (Files.isRegularFile(candidate)) {
                sc = candidate;
                meta = Sidecars.read(sc);
            }
        }
        if (!Files.isRegularFile(data)) {
            throw ListFormatException.ofFile(ListFormatException.Problem.MISSING_FILE, data,
                    "list file does not exist", "check the path (and the sidecar's dataFile)");
        }
        this.dataFile = data.toAbsolutePath().normalize();
        this.sidecar = sc;

        int w;
        if (opts.recordWidth() != null) {
            w = opts.recordWidth();
            if (meta != null && meta.recordWidth() != w) {
                throw ListFormatException.ofFile(ListFormatException.Problem.SIDECAR_MISMATCH, data,
                        "--record-width " + w + " contradicts the sidecar's record width " + meta.recordWidth(),
                        "drop --record-width or delete the sidecar " + sc.getFileName());
            }
        } else {
            w = meta != null ? meta.recordWidth() : DEFAULT_RECORD_WIDTH;
        }
        if (w <= 0 || w > 65535) {
            throw ListFormatException.ofFile(ListFormatException.Problem.BAD_OPTION, data,
                    "record width " + w + " is out of range", "use a width between 1 and 65535 (the reference uses 120)");
        }
        this.width = w;

        long size = fileSize(dataFile);
        long n;
        if (opts.count() != null || (meta != null && meta.count() != null)) {
            n = opts.count() != null ? opts.count() : meta.count();
            if (n < 0 || n > size / w) {
                throw ListFormatException.ofFile(ListFormatException.Problem.COUNT_EXCEEDS_FILE, data,
                        "count " + n + " needs " + Math.multiplyExact(Math.max(n, 0), (long) w) + " bytes but the file has "
                                + size + " (" + (size / w) + " records of " + w + " bytes)",
                        "give a --count of at most " + (size / w) + " or check --record-width");
            }
            if (opts.count() == null && meta != null && meta.sha256() != null && meta.dataFile() == null
                    && size != n * w) {
                // Lists this module wrote are exact; a longer file means the data and sidecar are from different runs.
                throw ListFormatException.ofFile(ListFormatException.Problem.SIDECAR_MISMATCH, data,
                        "sidecar says " + n + " records of " + w + " bytes but the file has " + size + " bytes",
                        "rebuild the list, or delete the stale sidecar " + sc.getFileName());
            }
        } else {
            if (size % w != 0) {
                throw ListFormatException.ofFile(ListFormatException.Problem.SIZE_NOT_MULTIPLE, data,
                        "file size " + size + " is not a multiple of the record width " + w
                                + " (" + (size / w) + " whole records + " + (size % w) + " bytes)",
                        "pass the right --record-width (reference lists use 120) or --count, or rebuild the list");
            }
            n = size / w;
        }
        this.count = n;

        if (opts.baseDir() != null) {
            this.baseDir = opts.baseDir().toAbsolutePath().normalize();
        } else if (meta != null && meta.baseDir() != null) {
            this.baseDir = Sidecars.resolveStored(sc, meta.baseDir());
        } else {
            this.baseDir = dataFile.getParent();
        }

        if (opts.rewrite() != null) {
            this.rewrite = opts.rewrite();
        } else {
            this.rewrite = meta != null ? PathRewrite.parse(meta.pathRewrite()) : PathRewrite.NONE;
        }

        Path lf = opts.labelsFile() != null ? opts.labelsFile()
                : meta != null && meta.labelsFile() != null ? Sidecars.resolveStored(sc, meta.labelsFile()) : null;
        this.labelsFile = lf == null ? null : lf.toAbsolutePath().normalize();

        this.chunkRecords = Math.max(1, maxChunkBytes / w);
        this.chunks = map(dataFile, count, w, chunkRecords);
        if (labelsFile != null) {
            if (!Files.isRegularFile(labelsFile)) {
                throw ListFormatException.ofFile(ListFormatException.Problem.MISSING_FILE, labelsFile,
                        "labels file does not exist", "rebuild the list or drop the labels option");
            }
            long lsize = fileSize(labelsFile);
            if (lsize != count * 4L) {
                throw ListFormatException.ofFile(ListFormatException.Problem.LABELS_LENGTH, labelsFile,
                        "labels file has " + lsize + " bytes (" + (lsize / 4) + (lsize % 4 == 0 ? "" : "+")
                                + " int32 labels) but the list " + dataFile.getFileName() + " has " + count + " records",
                        "rebuild the labels from the same source as the list, or drop the labels file");
            }
            this.labelChunkRecords = Math.max(1, maxChunkBytes / 4);
            this.labelChunks = map(labelsFile, count, 4, labelChunkRecords);
        } else {
            this.labelChunks = null;
            this.labelChunkRecords = 0;
        }

        this.metadata = meta != null ? meta : ListMetadata.builder()
                .role("external")
                .count(count)
                .recordWidth(width)
                .dtype("S" + width)
                .baseDir(baseDir.toString())
                .pathRewrite(rewrite.id())
                .build();
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw ListFormatException.ofFile(ListFormatException.Problem.IO_ERROR, p,
                    "cannot read file size: " + e.getMessage(), "check the file's permissions");
        }
    }

    private static MappedByteBuffer[] map(Path file, long n, int w, long perChunk) {
        int nChunks = (int) ((n + perChunk - 1) / perChunk);
        MappedByteBuffer[] out = new MappedByteBuffer[nChunks];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int c = 0; c < nChunks; c++) {
                long first = c * perChunk;
                long recs = Math.min(perChunk, n - first);
                out[c] = ch.map(FileChannel.MapMode.READ_ONLY, first * w, recs * w);
                out[c].order(ByteOrder.LITTLE_ENDIAN);
            }
        } catch (IOException e) {
            throw ListFormatException.ofFile(ListFormatException.Problem.IO_ERROR, file,
                    "cannot memory-map the file: " + e.getMessage(), "check the file's permissions and free address space");
        }
        return out;
    }

    /** Number of records. */
    public long size() {
        return count;
    }

    public int recordWidth() {
        return width;
    }

    /** The raw data file (for a descriptor sidecar, the file it points at). */
    public Path dataFile() {
        return dataFile;
    }

    /** The sidecar this list was opened with, or {@code null} for a sidecar-less (reference) list. */
    public Path sidecar() {
        return sidecar;
    }

    public boolean hasSidecar() {
        return sidecar != null;
    }

    /** The sidecar's metadata, or a synthesised one (role "external") for a sidecar-less list. */
    public ListMetadata metadata() {
        return metadata;
    }

    public Path baseDir() {
        return baseDir;
    }

    public PathRewrite rewrite() {
        return rewrite;
    }

    public Path labelsFile() {
        return labelsFile;
    }

    public boolean hasLabels() {
        return labelChunks != null;
    }

    /** The record as stored (NUL padding dropped, surrounding whitespace stripped as the reference does). */
    public String recordAt(long i) {
        checkIndex(i);
        int c = (int) (i / chunkRecords);
        return RecordCodec.decode(chunks[c], (int) ((i - c * chunkRecords) * width), width, dataFile, i);
    }

    /** The path of record {@code i} relative to the base directory, after the optional rewrite. */
    public String pathAt(long i) {
        return rewrite.apply(recordAt(i));
    }

    /**
     * The file of record {@code i} under the base directory. A path that escapes the base directory ({@code ..}
     * segments, or an absolute path outside it) is rejected: a list must never make the job read arbitrary files.
     */
    public Path resolve(long i) {
        String p = pathAt(i);
        Path candidate = Path.of(p);
        Path resolved = candidate.isAbsolute() ? candidate.normalize() : baseDir.resolve(candidate).normalize();
        if (!resolved.startsWith(baseDir) || resolved.equals(baseDir)) {
            throw escapes(i, p);
        }
        return resolved;
    }

    /**
     * Decodes record {@code i} and checks lexically that it stays inside the base directory, without building
     * {@link Path} objects: the cheap way to validate every record of a large list before a long run.
     */
    public void checkRecord(long i) {
        String p = pathAt(i);
        if (!PathChecks.insideBase(p, baseDir)) {
            throw escapes(i, p);
        }
    }

    private ListFormatException escapes(long i, String p) {
        return RecordCodec.escapes(p, baseDir, dataFile, i);
    }

    public int labelAt(long i) {
        if (labelChunks == null) {
            throw new IllegalStateException("list " + dataFile + " has no labels file");
        }
        checkIndex(i);
        int c = (int) (i / labelChunkRecords);
        return labelChunks[c].getInt((int) ((i - c * labelChunkRecords) * 4));
    }

    /**
     * Recomputes the SHA-256 of the data file's {@code count} records, reading the file once in blocks through
     * positional reads: pages touched through the mapping would stay in this process's resident set until the
     * mapping goes (Java 17 cannot unmap), so a pass over a 60 GB list would look like 60 GB resident.
     */
    public String computeSha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
            long end = count * width;
            try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ)) {
                for (long pos = 0; pos < end; ) {
                    block.clear().limit((int) Math.min(block.capacity(), end - pos));
                    int r = ch.read(block, pos);
                    if (r < 0) {
                        throw new IOException("unexpected end of file at byte " + pos);
                    }
                    pos += r;
                    md.update(block.flip());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw ListFormatException.ofFile(ListFormatException.Problem.IO_ERROR, dataFile,
                    "cannot read the list: " + e.getMessage(), "check the file");
        }
    }

    /** Checks the data file against the sidecar's SHA-256 (no-op when there is none). */
    public void verifyChecksum() {
        if (metadata.sha256() == null) {
            return;
        }
        String actual = computeSha256();
        if (!actual.equals(metadata.sha256())) {
            throw ListFormatException.ofFile(ListFormatException.Problem.SIDECAR_MISMATCH, dataFile,
                    "SHA-256 " + actual + " differs from the sidecar's " + metadata.sha256(),
                    "the list was modified after it was written; rebuild it");
        }
    }

    private void checkIndex(long i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("record " + i + " outside [0, " + count + ") of " + dataFile);
        }
    }

    @Override
    public void close() {
        // Mapped buffers are unmapped by the GC; nothing else is held open (the channel closed after mapping).
    }

    @Override
    public String toString() {
        return "MemmapList[" + dataFile + ", " + count + " x S" + width + (hasLabels() ? ", labelled" : "") + "]";
    }
}
