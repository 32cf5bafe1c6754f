package org.contssl.lists.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.contssl.lists.AtomicFiles;

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
        AtomicLong written = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        int nThreads = Math.max(1, Math.min(threads, indices.length / 64 + 1));
        int chunk = Math.max(64, indices.length / (nThreads * 8) + 1);
        ExecutorService pool = Executors.newFixedThreadPool(nThreads, r -> {
            Thread t = new Thread(r, "png-export");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < indices.length; from += chunk) {
                int lo = from;
                int hi = Math.min(indices.length, from + chunk);
                futures.add(pool.submit(() -> {
                    PngEncoder enc = new PngEncoder();
                    for (int k = lo; k < hi; k++) {
                        int i = indices[k];
                        Path target = baseDir.resolve(relPath.apply(i));
                        if (Files.exists(target)) {
                            skipped.incrementAndGet();
                            continue;
                        }
                        byte[] png = enc.encode(image.apply(i));
                        AtomicFiles.writeUnsynced(target, png);
                        written.incrementAndGet();
                        bytes.addAndGet(png.length);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("export to " + baseDir + " failed: " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("export to " + baseDir + " interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        return new Stats(written.get(), skipped.get(), bytes.get(), (System.nanoTime() - t0) / 1e9);
    }
}
