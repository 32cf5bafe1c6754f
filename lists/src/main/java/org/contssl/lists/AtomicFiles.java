package org.contssl.lists;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Write-to-temp-then-rename helpers: a file either exists complete under its final name or not at all, so a crash
 * never leaves something half-written that looks finished.
 */
public final class AtomicFiles {

    static final String TMP_MARK = ".tmp-";

    private AtomicFiles() {
    }

    /** A fresh temporary sibling of {@code target} (same directory, so the final rename is atomic). */
    public static Path tempSibling(Path target) {
        String name = target.getFileName().toString();
        return target.resolveSibling("." + name + TMP_MARK + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** Renames {@code tmp} over {@code target} atomically (falls back to a plain replace where unsupported). */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code content} to {@code target} through a synced temp file and an atomic rename. */
    public static void write(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = tempSibling(target);
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            commit(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #write} without the fsync: for many small files (exported images, rendered frames) where a crash
     * of the process must not leave a partial file under the final name, but syncing each one would cost more than
     * producing it. Power loss is not covered.
     */
    public static void writeUnsynced(Path target, byte[] content) {
        Path tmp = tempSibling(target);
        try {
            Files.write(tmp, content);
            commit(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a directory tree (best effort). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
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
}
