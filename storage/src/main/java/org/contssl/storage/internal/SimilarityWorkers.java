package org.contssl.storage.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The threads that share MinRed's similarity work ({@code -Dcontssl.storage.threads}, default min(2, cores)). Each
 * job fills its own partial result; the caller merges them in a fixed order, so the outcome does not depend on the
 * thread count.
 */
final class SimilarityWorkers {
    static final int THREADS = Math.max(1, Integer.getInteger("contssl.storage.threads",
            Math.min(2, Runtime.getRuntime().availableProcessors())));
    private static ExecutorService pool;

    private SimilarityWorkers() {}

    /** Runs the jobs, the first on the calling thread, and waits for all of them. */
    static void run(List<Runnable> jobs) {
        if (jobs.size() == 1) {
            jobs.get(0).run();
            return;
        }
        ExecutorService ex = pool();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 1; i < jobs.size(); i++) {
            fs.add(ex.submit(jobs.get(i)));
        }
        jobs.get(0).run();
        try {
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during MinRed similarity computation", ie);
        } catch (java.util.concurrent.ExecutionException ee) {
            throw new IllegalStateException("MinRed similarity worker failed: " + ee.getCause(), ee.getCause());
        }
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(THREADS, r -> {
                Thread t = new Thread(r, "minred-similarity");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }
}
