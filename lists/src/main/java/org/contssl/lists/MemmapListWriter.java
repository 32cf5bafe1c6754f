package org.contssl.lists;

import org.contssl.core.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes a list in the reference's memmap format plus its sidecar and optional labels file. Records go to temp files
 * next to the targets; {@link #commit} syncs them and renames labels, list and finally the sidecar into place, so an
 * interrupted writer leaves no complete-looking list behind. Closing without commit discards everything.
 *
 * <pre>{@code
 * try (MemmapListWriter w = MemmapListWriter.create(list, 120, baseDir, true)) {
 *     w.add("train/3_dress/00012.png", 3);
 *     w.commit(ListMetadata.builder().source("fashion-mnist").kind("iid").seed(7L));
 * }
 * }</pre>
 */
public final class MemmapListWriter implements AutoCloseable {

    public static final String LABELS_SUFFIX = ".labels";

    private final Path list;
    private final Path labels;
    private final int width;
    private final Path baseDir;
    private final Path tmpList;
    private final Path tmpLabels;
    private final HashedOutput listOut;
    private final HashedOutput labelsOut;
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] record;
    private final byte[] labelBytes = new byte[4];
    private long count;
    private boolean done;

    private MemmapListWriter(Path list, int width, Path baseDir, boolean withLabels) throws IOException {
        if (width <= 0 || width > 65535) {
            throw ListFormatException.ofFile(ListFormatException.Problem.BAD_OPTION, list,
                    "record width " + width + " is out of range", "use a width between 1 and 65535 (the reference uses 120)");
        }
        this.list = list.toAbsolutePath().normalize();
        this.labels = withLabels ? labelsPathOf(this.list) : null;
        this.width = width;
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.record = new byte[width];
        Files.createDirectories(this.list.getParent());
        AtomicFiles.removeStaleTemps(this.list);
        this.tmpList = AtomicFiles.tempSibling(this.list);
        this.listOut = new HashedOutput(tmpList, 1 << 20);
        if (withLabels) {
            AtomicFiles.removeStaleTemps(labels);
            this.tmpLabels = AtomicFiles.tempSibling(labels);
            this.labelsOut = new HashedOutput(tmpLabels, 1 << 16);
        } else {
            this.tmpLabels = null;
            this.labelsOut = null;
        }
    }

    /**
     * A file written through a block buffer whose SHA-256 is computed per block (hashing per 120-byte record
     * costs several times more than the writing itself).
     */
    private static final class HashedOutput {
        private final FileChannel channel;
        private final MessageDigest sha;
        private final byte[] block;
        private int pos;

        HashedOutput(Path file, int blockSize) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.block = new byte[blockSize];
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void write(byte[] src, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, block.length - pos);
                System.arraycopy(src, off, block, pos, n);
                pos += n;
                off += n;
                len -= n;
                if (pos == block.length) {
                    flush();
                }
            }
        }

        private void flush() throws IOException {
            sha.update(block, 0, pos);
            ByteBuffer bb = ByteBuffer.wrap(block, 0, pos);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
            pos = 0;
        }

        /** Flushes, syncs and closes; returns the hex SHA-256 of everything written. */
        String finish() throws IOException {
            flush();
            channel.force(true);
            channel.close();
            return HexFormat.of().formatHex(sha.digest());
        }

        void abandon() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
        }
    }

    /**
     * Starts a list at {@code list} whose records are paths relative to {@code baseDir}.
     *
     * @param withLabels whether every record carries an int32 label (written to {@code <list>.labels})
     */
    public static MemmapListWriter create(Path list, int recordWidth, Path baseDir, boolean withLabels) {
        try {
            return new MemmapListWriter(list, recordWidth, baseDir, withLabels);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create list " + list + ": " + e.getMessage(), e);
        }
    }

    public static Path labelsPathOf(Path list) {
        return list.resolveSibling(list.getFileName() + LABELS_SUFFIX);
    }

    public Path listPath() {
        return list;
    }

    public Path baseDir() {
        return baseDir;
    }

    public int recordWidth() {
        return width;
    }

    /** Records written so far (= the index the next record gets). */
    public long count() {
        return count;
    }

    /** Appends an unlabelled record (only for a writer created without labels). */
    public void add(String path) {
        if (labelsOut != null) {
            throw new IllegalStateException("writer for " + list + " expects a label with every record");
        }
        writeRecord(path);
        count++;
    }

    /** Appends a labelled record (only for a writer created with labels). */
    public void add(String path, int label) {
        if (labelsOut == null) {
            throw new IllegalStateException("writer for " + list + " was created without labels");
        }
        writeRecord(path);
        labelBytes[0] = (byte) label;
        labelBytes[1] = (byte) (label >>> 8);
        labelBytes[2] = (byte) (label >>> 16);
        labelBytes[3] = (byte) (label >>> 24);
        try {
            labelsOut.write(labelBytes, 0, 4);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write labels for " + list, e);
        }
        count++;
    }

    private void writeRecord(String path) {
        if (done) {
            throw new IllegalStateException("writer for " + list + " is already committed or closed");
        }
        int len = encode(path);
        if (len == 0 || path.isBlank()) {
            throw new ListFormatException(ListFormatException.Problem.EMPTY_RECORD, list, count,
                    "empty path", "every record must name a file");
        }
        if (len > width) {
            throw new ListFormatException(ListFormatException.Problem.PATH_TOO_LONG, list, count,
                    "path '" + path + "' is " + len + " bytes, longer than the record width " + width,
                    "use a larger record width (e.g. data.record_width=" + Math.max(len, 2 * width)
                            + ") or a shorter path");
        }
        if (Character.isWhitespace(path.charAt(0)) || Character.isWhitespace(path.charAt(path.length() - 1))) {
            // The reader strips surrounding whitespace like the reference does, so such a path would not round-trip.
            throw new ListFormatException(ListFormatException.Problem.BAD_OPTION, list, count,
                    "path '" + path + "' starts or ends with whitespace", "rename the file");
        }
        for (int k = 0; k < len; k++) {
            if (record[k] == 0) {
                throw new ListFormatException(ListFormatException.Problem.NUL_IN_PATH, list, count,
                        "path contains a NUL byte", "fix the file name");
            }
        }
        checkInsideBase(path);
        java.util.Arrays.fill(record, len, width, (byte) 0);
        try {
            listOut.write(record, 0, width);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + list, e);
        }
    }

    /**
     * UTF-8 encodes {@code path} into {@link #record} (ASCII copied directly, the common case) and returns its
     * byte length; a length above the width is returned without writing past the buffer.
     */
    private int encode(String path) {
        int n = path.length();
        if (n <= width) {
            int k = 0;
            while (k < n) {
                char ch = path.charAt(k);
                if (ch >= 0x80) {
                    break;
                }
                record[k++] = (byte) ch;
            }
            if (k == n) {
                return n;
            }
        }
        ByteBuffer bb;
        try {
            bb = encoder.reset().encode(CharBuffer.wrap(path));
        } catch (CharacterCodingException e) {
            throw new ListFormatException(ListFormatException.Problem.INVALID_UTF8, list, count,
                    "path '" + path + "' cannot be encoded as UTF-8 (unpaired surrogate?)", "fix the file name");
        }
        int len = bb.remaining();
        if (len <= width) {
            bb.get(record, 0, len);
        }
        return len;
    }

    private void checkInsideBase(String path) {
        // lexical only (no file system access): it runs for every record
        if (!PathChecks.insideBase(path, baseDir)) {
            throw escape(path);
        }
    }

    private ListFormatException escape(String path) {
        return new ListFormatException(ListFormatException.Problem.PATH_ESCAPES_BASE, list, count,
                "path '" + path + "' escapes the base directory " + baseDir,
                "list paths relative to the base directory, without '..' above it");
    }

    /**
     * Syncs and renames the files into place and writes the sidecar (last, so its presence marks a complete list).
     * The template supplies provenance (role, source, kind, seed, classes, domains, diagnostics); structural
     * fields are overwritten with what was actually written.
     */
    public ListMetadata commit(ListMetadata.Builder template) {
        if (done) {
            throw new IllegalStateException("writer for " + list + " is already committed or closed");
        }
        done = true;
        Path sidecar = Sidecars.sidecarOf(list);
        try {
            String listHash = listOut.finish();
            String labelsHash = labelsOut != null ? labelsOut.finish() : null;
            ListMetadata.Builder b = (template == null ? ListMetadata.builder() : template)
                    .count(count)
                    .recordWidth(width)
                    .dtype("S" + width)
                    .dataFile(null)
                    .baseDir(Sidecars.storeRelative(sidecar, baseDir))
                    .sha256(listHash);
            if (labels != null) {
                b.labelsFile(labels.getFileName().toString()).labelsSha256(labelsHash);
            } else {
                b.labelsFile(null).labelsSha256(null);
            }
            ListMetadata meta = b.build();
            // Old sidecar first: between the renames below a reader must not pair new data with stale metadata.
            Files.deleteIfExists(sidecar);
            if (labels != null) {
                AtomicFiles.commit(tmpLabels, labels);
            } else {
                Files.deleteIfExists(labelsPathOf(list));
            }
            AtomicFiles.commit(tmpList, list);
            Sidecars.write(sidecar, meta);
            return meta;
        } catch (IOException e) {
            discard();
            throw new UncheckedIOException("cannot commit list " + list + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard();
            throw e;
        }
    }

    /**
     * Writes a descriptor sidecar at {@code descriptor} (a {@code .json} path) for an existing list that stays where
     * it is — a user's own, possibly huge, reference file. Opening the descriptor with {@link MemmapList#open(Path)}
     * opens that file with the recorded width, count, base directory, rewrite and labels. The SHA-256 pins the exact
     * content the run used (it reads the file once).
     */
    public static ListMetadata describe(Path descriptor, MemmapList list, ListMetadata.Builder template) {
        if (!Sidecars.isSidecar(descriptor)) {
            throw new IllegalArgumentException("descriptor must end in " + Sidecars.SUFFIX + ": " + descriptor);
        }
        ListMetadata.Builder b = (template == null ? ListMetadata.builder() : template)
                .count(list.size())
                .recordWidth(list.recordWidth())
                .dtype("S" + list.recordWidth())
                .dataFile(list.dataFile().toString())
                .baseDir(Sidecars.storeRelative(descriptor, list.baseDir()))
                .pathRewrite(list.rewrite().id())
                .sha256(list.computeSha256());
        if (list.hasLabels()) {
            b.labelsFile(list.labelsFile().toString());
        } else {
            b.labelsFile(null).labelsSha256(null);
        }
        ListMetadata meta = b.build();
        Sidecars.write(descriptor, meta);
        return meta;
    }

    /** Discards the temp files unless {@link #commit} succeeded. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            discard();
        }
    }

    private void discard() {
        listOut.abandon();
        if (labelsOut != null) {
            labelsOut.abandon();
        }
        AtomicFiles.deleteQuietly(tmpList);
        if (tmpLabels != null) {
            AtomicFiles.deleteQuietly(tmpLabels);
        }
    }
}
