package org.contssl.storage.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checkpoints as directories of named sections plus a manifest with each section's SHA-256. A checkpoint is
 * written into a temporary directory, every file fsynced, then renamed into place (and the parent directory
 * fsynced): a crash at any moment leaves either the complete checkpoint or none, never a half one that looks
 * whole. All checkpoints are kept. Reading verifies the checksums; {@link #latestValid} falls back to the
 * previous checkpoint when the newest is damaged and says so.
 */
public final class CheckpointStore {

    public static final String MANIFEST = "manifest.json";
    private static final String TMP_PREFIX = ".tmp-";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes checkpoint {@code name} atomically. {@code sequence} orders checkpoints (the training step, say);
     * an existing checkpoint of the same name is replaced only once the new one is complete.
     */
    public StoredCheckpoint write(String name, long sequence, Map<String, String> meta, List<Section> sections) {
        if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("checkpoint name '" + name + "' must be a plain directory name");
        }
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(TMP_PREFIX + name + "-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            Map<String, StoredCheckpoint.SectionInfo> infos = new LinkedHashMap<>();
            for (Section section : sections) {
                infos.put(section.name(), writeSection(tmp.resolve(section.name()), section.writer()));
            }
            StoredCheckpoint manifest = new StoredCheckpoint(target, name, sequence, Map.copyOf(meta), infos);
            writeSection(tmp.resolve(MANIFEST), out -> JSON.writeValue(out, Manifest.of(manifest)));
            fsyncDirectory(tmp);
            if (Files.exists(target)) {
                Path old = dir.resolve(TMP_PREFIX + "old-" + name + "-" + System.nanoTime());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            fsyncDirectory(dir);
            return manifest;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new CheckpointException("cannot write checkpoint " + target + ": " + e.getMessage()
                    + " (check free disk space; the previous checkpoints are intact)", e);
        }
    }

    /** Complete checkpoints (manifest present and readable), oldest first; damaged ones are left out. */
    public List<StoredCheckpoint> list() {
        List<StoredCheckpoint> out = new ArrayList<>();
        for (Path p : candidates()) {
            try {
                out.add(readManifest(p));
            } catch (CheckpointException e) {
                // listed only by latestValid's warnings
            }
        }
        out.sort(ORDER);
        return out;
    }

    /**
     * The newest checkpoint whose every section matches its checksum; each damaged newer one is reported to
     * {@code warnings} (one line: which checkpoint, what failed, which one is used instead).
     */
    public Optional<StoredCheckpoint> latestValid(Consumer<String> warnings) {
        List<StoredCheckpoint> complete = new ArrayList<>();
        for (Path p : candidates()) {
            try {
                complete.add(readManifest(p));
            } catch (CheckpointException e) {
                warnings.accept(e.getMessage());
            }
        }
        complete.sort(ORDER.reversed());
        for (StoredCheckpoint c : complete) {
            Optional<String> problem = verify(c);
            if (problem.isEmpty()) {
                return Optional.of(c);
            }
            warnings.accept("checkpoint " + c.dir() + " failed its checksum (" + problem.get()
                    + "); falling back to the previous valid checkpoint");
        }
        return Optional.empty();
    }

    /** Reads and checks one checkpoint directory. */
    public StoredCheckpoint load(Path checkpointDir) {
        StoredCheckpoint c = readManifest(checkpointDir);
        verify(c).ifPresent(problem -> {
            throw new CheckpointException("checkpoint " + checkpointDir + " failed its checksum (" + problem
                    + "): use an earlier checkpoint");
        });
        return c;
    }

    /** Empty if every section's bytes hash to the manifest's SHA-256, else what is wrong. */
    public static Optional<String> verify(StoredCheckpoint c) {
        for (Map.Entry<String, StoredCheckpoint.SectionInfo> e : c.sections().entrySet()) {
            Path file = c.dir().resolve(e.getKey());
            try {
                if (Files.size(file) != e.getValue().bytes()) {
                    return Optional.of(e.getKey() + " has " + Files.size(file) + " bytes, expected "
                            + e.getValue().bytes());
                }
                if (!sha256(file).equals(e.getValue().sha256())) {
                    return Optional.of(e.getKey() + " does not match its SHA-256");
                }
            } catch (IOException ex) {
                return Optional.of(e.getKey() + " is unreadable: " + ex.getMessage());
            }
        }
        return Optional.empty();
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static final Comparator<StoredCheckpoint> ORDER =
            Comparator.comparingLong(StoredCheckpoint::sequence).thenComparing(StoredCheckpoint::name);

    private List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static StoredCheckpoint readManifest(Path checkpointDir) {
        Path file = checkpointDir.resolve(MANIFEST);
        try {
            return JSON.readValue(file.toFile(), Manifest.class).toStored(checkpointDir);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("checkpoint " + checkpointDir + " has no readable " + MANIFEST + " ("
                    + e.getClass().getSimpleName() + "); it is ignored");
        }
    }

    private static StoredCheckpoint.SectionInfo writeSection(Path file, Section.Writer writer) throws IOException {
        MessageDigest digest = sha256();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream raw = java.nio.channels.Channels.newOutputStream(channel);
            DigestOutputStream out = new DigestOutputStream(new BufferedOutputStream(raw, 1 << 16), digest);
            writer.writeTo(new NonClosing(out));
            out.flush();
            channel.force(true);
        }
        return new StoredCheckpoint.SectionInfo(Files.size(file), HexFormat.of().formatHex(digest.digest()));
    }

    private static void fsyncDirectory(Path directory) {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // a stray temp directory is ignored by list() and latestValid()
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** Section writers may close the stream they get; the store closes the file itself. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** The JSON form of a manifest (paths are not stored: a checkpoint directory can be moved). */
    record Manifest(String name, long sequence, Map<String, String> meta,
                    Map<String, StoredCheckpoint.SectionInfo> sections) {
        static Manifest of(StoredCheckpoint c) {
            return new Manifest(c.name(), c.sequence(), c.meta(), c.sections());
        }

        StoredCheckpoint toStored(Path dir) {
            return new StoredCheckpoint(dir, name, sequence, meta == null ? Map.of() : meta,
                    sections == null ? Map.of() : sections);
        }
    }
}
