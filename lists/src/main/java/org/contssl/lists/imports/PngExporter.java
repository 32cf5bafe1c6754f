package org.contssl.lists.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.Parallel;

/**
 * Writes in-memory images as PNG files under a base directory, in parallel. Each file is written to a temp name and
 * renamed ({@link AtomicFiles#writeUnsynced}), so a file under its final name is always complete; files that already
 * exist are skipped. Re-running an interrupted export therefore finishes the job without redoing it.
 */
public final class PngExporter {

    /** Counts of one export run. */
    public record Stats(long written, long skipped, long bytes, double seconds) {
        public double imagesPerSecond() {
            return seconds > 0 ? (written + skipped) / seconds : 0;
        }
    }

    private PngExporter() {
    }

    /**
     * Exports image {@code indices[k]} to {@code baseDir/relPath.apply(indices[k])}.
     *
     * @param image   produces image i (must be thread-safe)
     * @param threads worker threads (at least 1)
     */
    public static Stats export(int[] indices, IntFunction<Raster8> image, IntFunction<String> relPath, Path baseDir,
                               int threads) {
        long t0 = System.nanoTime();
        // Create every directory up front: one thread, no races, and workers only touch files.
        Set<Path> dirs = new HashSet<>();
        for (int i : indices) {
            dirs.add(baseDir.resolve(relPath.apply(i)).getParent());
        }
        try {
            for (Path d : dirs) {
                Files.createDirectories(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create export directories under " + baseDir, e);
        }
        List<long[]> parts = Parallel.chunks(indices.length, threads, 64, "png-export", (lo, hi) -> {
            PngEncoder enc = new PngEncoder();
            long[] c = new long[3]; // written, skipped, bytes
            for (int k = lo; k < hi; k++) {
                int i = indices[k];
                Path target = baseDir.resolve(relPath.apply(i));
                if (Files.exists(target)) {
                    c[1]++;
                    continue;
                }
                byte[] png = enc.encode(image.apply(i));
                AtomicFiles.writeUnsynced(target, png);
                c[0]++;
                c[2] += png.length;
            }
            return c;
        });
        long written = 0;
        long skipped = 0;
        long bytes = 0;
        for (long[] c : parts) {
            written += c[0];
            skipped += c[1];
            bytes += c[2];
        }
        return new Stats(written, skipped, bytes, (System.nanoTime() - t0) / 1e9);
    }
}
