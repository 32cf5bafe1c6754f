package org.contssl.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a task over {@code [0, n)} in contiguous chunks on a short-lived pool and returns the chunks' results in
 * chunk order, so callers merge them deterministically whatever the thread count. A task's unchecked exception
 * (a {@link ListFormatException} naming a bad file, say) is rethrown as is.
 */
public final class Parallel {

    /** Work on the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface ChunkTask<R> {
        R run(int from, int to) throws Exception;
    }

    private Parallel() {
    }

    public static <R> List<R> chunks(int n, int threads, int minChunk, String name, ChunkTask<R> task) {
        int nThreads = Math.max(1, Math.min(threads, n / Math.max(1, minChunk) + 1));
        int chunk = Math.max(Math.max(1, minChunk), n / (nThreads * 8) + 1); // ~8 chunks per thread balances load
        ExecutorService exec = Executors.newFixedThreadPool(nThreads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (int from = 0; from < n; from += chunk) {
                int lo = from;
                int hi = Math.min(n, from + chunk);
                futures.add(exec.submit(() -> task.run(lo, hi)));
            }
            List<R> out = new ArrayList<>(futures.size());
            for (Future<R> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(name + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " interrupted", e);
        } finally {
            exec.shutdownNow();
        }
    }
}
