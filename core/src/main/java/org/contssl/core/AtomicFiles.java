package org.contssl.core;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The one way contssl writes a file that a restart may trust: write a temporary sibling, fsync it, rename it over
 * the target, fsync the directory. A crash at any moment leaves either the old complete file or the new complete
 * file under the final name, never a partial one (docs/design.md, "Files a restart trusts").
 *
 * <p>Each writer gets its own temporary name, so concurrent writers of one target (parallel probe partitions
 * refreshing a status file) never share a temp file; the last rename wins.
 */
public final class AtomicFiles {

    /** Marks temporary siblings, so {@link #removeStaleTemps} can find what a crashed writer left. */
    public static final String TMP_MARK = ".tmp-";

    /** Writes the content of a file to a stream; may throw IOException. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** A fresh temporary sibling of {@code target} (same directory, so the final rename is atomic). */
    public static Path tempSibling(Path target) {
        String name = target.getFileName().toString();
        return target.resolveSibling("." + name + TMP_MARK + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** Writes {@code content} to {@code target}: synced temp file, atomic rename, synced directory. */
    public static void write(Path target, byte[] content) {
        write(target, out -> out.write(content));
    }

    /** Writes whatever {@code body} produces to {@code target} with the same guarantee as {@link #write(Path, byte[])}. */
    public static void write(Path target, Body body) {
        Path tmp = tempSibling(target);
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            commit(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #write(Path, byte[])} without the fsyncs: for many small derived files (exported images, rendered
     * frames) that a restart can regenerate. A killed process never leaves a partial file under the final name;
     * a power loss may lose the file (not corrupt it under its name on journaling file systems).
     */
    public static void writeUnsynced(Path target, byte[] content) {
        Path tmp = tempSibling(target);
        try {
            Files.write(tmp, content);
            move(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Publishes a temporary file the caller wrote (and synced) itself, e.g. a large file written through a mapped
     * buffer: atomic rename over {@code target}, then fsync of the directory so the rename itself survives a crash.
     */
    public static void commit(Path tmp, Path target) throws IOException {
        move(tmp, target);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Fsyncs a file that was written in place (e.g. through a memory map) before it is renamed. */
    public static void syncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Makes the directory entries (creations, renames) of {@code dir} durable. A no-op where the OS refuses. */
    public static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open a directory for fsync; the rename is still atomic there
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a directory tree (best effort). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Removes temp files a crashed writer of {@code target} may have left next to it. */
    public static void removeStaleTemps(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = "." + target.getFileName() + TMP_MARK;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : ds) {
                deleteQuietly(p);
            }
        } catch (IOException ignored) {
            // best effort: a leftover temp file is clutter, not corruption
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort cleanup of our own temp file
        }
    }

    /** Writes all of {@code buf} to {@code ch} (a FileChannel may write less than asked). */
    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
