package org.contssl.storage.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.contssl.core.AtomicFiles;

/**
 * Checkpoints of a training run under one directory ({@code checkpoints/}): each a directory
 * {@code checkpoint_<progress>} or {@code checkpoint_final} holding one file per named section and a
 * {@code manifest.json} with each section's size and SHA-256. Written atomically: everything goes to a hidden
 * temporary directory, is fsynced, and the directory is renamed into place (then the parent is fsynced, as
 * {@link AtomicFiles} does for single files), so a crash leaves either the complete checkpoint or none. All
 * checkpoints are kept.
 */
public final class CheckpointStore {
    public static final String FINAL = "checkpoint_final";
    static final String MANIFEST = "manifest.json";
    private static final String TMP_PREFIX = ".tmp-";
    private static final String TRASH_PREFIX = ".trash-";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,119}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    /**
     * Opens (creating) the store. Leftovers of interrupted writes are removed, but only those of processes that are
     * gone: a reader opening the store while another process writes a checkpoint must not delete its work.
     */
    public CheckpointStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if ((n.startsWith(TMP_PREFIX) || n.startsWith(TRASH_PREFIX)) && !writerAlive(n)) {
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }

    /** Temporary names end in -pid-nanotime; the writer is alive if that process still runs (not this one). */
    private static boolean writerAlive(String tmpName) {
        String[] parts = tmpName.split("-");
        if (parts.length < 3) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[parts.length - 2]);
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public Path dir() {
        return dir;
    }

    /** Name of the checkpoint at a fraction of progress: {@code checkpoint_0.2500}. */
    public static String nameFor(double progress) {
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("checkpoint progress " + progress + " must be in [0, 1]");
        }
        return String.format(Locale.ROOT, "checkpoint_%.4f", progress);
    }

    /** Writes a checkpoint atomically; replaces an existing one of the same name (e.g. a corrupted one). */
    public Checkpoint write(String name, double progress, Map<String, SectionWriter> sections) throws IOException {
        return write(name, progress, Map.of(), sections);
    }

    /** As {@link #write(String, double, Map)}, with small string facts stored in the manifest. */
    public Checkpoint write(String name, double progress, Map<String, String> metadata,
                            Map<String, SectionWriter> sections) throws IOException {
        checkName(name, "checkpoint");
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + name + " needs at least one section");
        }
        for (String s : sections.keySet()) {
            checkName(s, "section");
        }
        Path tmp = dir.resolve(TMP_PREFIX + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectory(tmp);
        try {
            List<Checkpoint.Section> written = new ArrayList<>();
            for (Map.Entry<String, SectionWriter> e : sections.entrySet()) {
                written.add(writeSection(tmp, name, e.getKey(), e.getValue()));
            }
            String created = Instant.now().toString();
            ObjectNode m = JSON.createObjectNode();
            m.put("format", 1);
            m.put("name", name);
            m.put("progress", progress);
            m.put("created", created);
            ObjectNode md = m.putObject("metadata");
            metadata.forEach(md::put);
            ArrayNode arr = m.putArray("sections");
            for (Checkpoint.Section s : written) {
                ObjectNode o = arr.addObject();
                o.put("name", s.name());
                o.put("file", s.file());
                o.put("bytes", s.bytes());
                o.put("sha256", s.sha256());
            }
            byte[] manifest = JSON.writeValueAsBytes(m);
            try (FileChannel ch = FileChannel.open(tmp.resolve(MANIFEST), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(manifest));
                ch.force(true);
            }
            AtomicFiles.syncDirectory(tmp);
            Path target = dir.resolve(name);
            Path trash = null;
            if (Files.exists(target)) {
                trash = dir.resolve(TRASH_PREFIX + name + "-" + ProcessHandle.current().pid() + "-"
                        + System.nanoTime());
                move(target, trash);
            }
            move(tmp, target);
            AtomicFiles.syncDirectory(dir);
            if (trash != null) {
                AtomicFiles.deleteTree(trash);
            }
            return new Checkpoint(name, progress, target, created, metadata, written);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            if (e instanceof CheckpointException) {
                throw e;
            }
            throw new CheckpointException("cannot write checkpoint " + name + " in " + dir + ": " + oneLine(e)
                    + (e instanceof IOException ? "; check free disk space and permissions" : ""), e);
        }
    }

    private static Checkpoint.Section writeSection(Path tmp, String cp, String section, SectionWriter w)
            throws IOException {
        String file = section + ".bin";
        MessageDigest md = sha256();
        long[] count = new long[1];
        try (FileChannel ch = FileChannel.open(tmp.resolve(file), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            OutputStream raw = Channels.newOutputStream(ch);
            DigestOutputStream dig = new DigestOutputStream(new BufferedOutputStream(raw, 1 << 16), md);
            OutputStream counting = new FilterOutputStream(dig) {
                @Override
                public void write(int b) throws IOException {
                    dig.write(b);
                    count[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    dig.write(b, off, len);
                    count[0] += len;
                }

                @Override
                public void close() throws IOException {
                    flush(); // the writer must not close the file under us
                }
            };
            w.writeTo(counting);
            dig.flush();
            ch.force(true);
        }
        return new Checkpoint.Section(section, file, count[0], HexFormat.of().formatHex(md.digest()));
    }

    /** Checkpoints whose manifest can be read, in progress order (final last). Checksums are not verified here. */
    public List<Checkpoint> list() throws IOException {
        List<Checkpoint> out = new ArrayList<>();
        for (Path p : candidates()) {
            try {
                out.add(readManifest(p));
            } catch (CheckpointException e) {
                // unreadable manifests show up in loadLatestValid's rejected list
            }
        }
        out.sort(ORDER);
        return out;
    }

    private static final Comparator<Checkpoint> ORDER = Comparator.comparingDouble(Checkpoint::progress)
            .thenComparing(c -> c.name().equals(FINAL))
            .thenComparing(Checkpoint::name);

    private List<Path> candidates() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .forEach(out::add);
        }
        return out;
    }

    /** The named checkpoint's manifest (not verified). */
    public Checkpoint get(String name) throws IOException {
        checkName(name, "checkpoint");
        Path p = dir.resolve(name);
        if (!Files.isDirectory(p)) {
            throw new CheckpointException("checkpoint " + name + " does not exist in " + dir);
        }
        return readManifest(p);
    }

    /** Recomputes every section's SHA-256 and size; throws a one-line {@link CheckpointException} on mismatch. */
    public Checkpoint verify(String name) throws IOException {
        Checkpoint c = get(name);
        verify(c);
        return c;
    }

    private static void verify(Checkpoint c) throws IOException {
        for (String s : c.sectionNames()) {
            Checkpoint.Section sec = c.section(s);
            Path f = c.dir().resolve(sec.file());
            long size;
            try {
                size = Files.size(f);
            } catch (NoSuchFileException e) {
                throw new CheckpointException(c.name() + ": section " + s + " is missing (" + f + ")");
            }
            if (size != sec.bytes()) {
                throw new CheckpointException(c.name() + ": section " + s + " has " + size + " bytes, the manifest"
                        + " says " + sec.bytes() + " (truncated or overwritten)");
            }
            String actual = sha256Of(f);
            if (!actual.equals(sec.sha256())) {
                throw new CheckpointException(c.name() + ": section " + s + " fails its SHA-256 (expected "
                        + sec.sha256().substring(0, 12) + "..., got " + actual.substring(0, 12) + "...)");
            }
        }
    }

    /**
     * The newest checkpoint (by progress) whose manifest reads and whose sections all match their SHA-256; every
     * newer one that failed is reported with its reason. Unreadable manifests are reported too.
     */
    public LoadResult loadLatestValid() throws IOException {
        List<String> rejected = new ArrayList<>();
        List<Checkpoint> readable = new ArrayList<>();
        for (Path p : candidates()) {
            try {
                readable.add(readManifest(p));
            } catch (CheckpointException e) {
                rejected.add(e.getMessage());
            }
        }
        readable.sort(ORDER.reversed());
        for (Checkpoint c : readable) {
            try {
                verify(c);
                return new LoadResult(Optional.of(c), rejected);
            } catch (CheckpointException e) {
                rejected.add(e.getMessage());
            }
        }
        return new LoadResult(Optional.empty(), rejected);
    }

    /** SHA-256 of a section as recorded in the named checkpoint's manifest. */
    public String sectionSha256(String checkpoint, String section) throws IOException {
        return get(checkpoint).sha256(section);
    }

    private Checkpoint readManifest(Path p) throws CheckpointException {
        String name = p.getFileName().toString();
        JsonNode m;
        try {
            m = JSON.readTree(p.resolve(MANIFEST).toFile());
        } catch (IOException e) {
            throw new CheckpointException(name + ": manifest unreadable (" + oneLine(e) + ")", e);
        }
        if (m == null || !m.path("sections").isArray() || !m.path("progress").isNumber()
                || !name.equals(m.path("name").asText())) {
            throw new CheckpointException(name + ": manifest is incomplete or belongs to another checkpoint");
        }
        List<Checkpoint.Section> secs = new ArrayList<>();
        for (JsonNode s : m.get("sections")) {
            String file = s.path("file").asText();
            if (!NAME.matcher(file).matches()) {
                throw new CheckpointException(name + ": manifest names an invalid section file '" + file + "'");
            }
            secs.add(new Checkpoint.Section(s.path("name").asText(), file, s.path("bytes").asLong(-1),
                    s.path("sha256").asText()));
        }
        Map<String, String> md = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("metadata").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            md.put(e.getKey(), e.getValue().asText());
        }
        return new Checkpoint(name, m.get("progress").asDouble(), p, m.path("created").asText(), md, secs);
    }

    // ---- helpers ----

    private static void checkName(String n, String what) {
        if (n == null || !NAME.matcher(n).matches()) {
            throw new IllegalArgumentException(what + " name '" + n + "' must be 1-120 characters of letters, digits,"
                    + " '_', '.', '-', starting with a letter or digit");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }

    /** SHA-256 (lower-case hex) of a file. */
    public static String sha256Of(Path f) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new CheckpointException("cannot rename " + from + " to " + to + " atomically on this file system;"
                    + " put the workdir on a local POSIX file system", e);
        }
    }

    private static String oneLine(Throwable t) {
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return m.replaceAll("\\s+", " ").trim();
    }
}
