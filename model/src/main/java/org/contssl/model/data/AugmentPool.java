package org.contssl.model.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worker threads that decode and augment mini-batches while the caller trains on the previous one.
 *
 * <p>{@link #submit} returns at once with a future (blocking only while {@code maxInFlight} batches are already
 * unfinished, which bounds memory and how far the data path runs ahead). Each sample is decoded once and augmented
 * twice, with view seeds {@link SeedMix#viewSeed}{@code (seed, 1)} and {@code (seed, 2)}; samples are independent
 * and each writes only its own slots, so the floats are identical whatever the thread count or scheduling. Batches
 * complete in submission order when their samples take similar time (the task queue is FIFO).
 *
 * <pre>{@code
 * try (AugmentPool pool = new AugmentPool(new ImageDecoder(), AugmentConfig.simsiam(28, 1), 2, 2, 0)) {
 *     CompletableFuture<ViewBatch> next = pool.submit(files0, seeds0);
 *     for (...) {
 *         ViewBatch b = next.join();
 *         next = pool.submit(filesK, seedsK);   // prepared while we train on b
 *         train(b.view1(), b.view2(), b.okIndices());
 *         pool.recycle(b);                      // b's arrays serve a later batch
 *     }
 * }
 * }</pre>
 */
public final class AugmentPool implements AutoCloseable {

    private final ImageDecoder decoder;
    private final SimSiamAugment augment;
    private final EvalTransform eval;
    private final DecodedImageCache cache;
    private final int threads;
    private final Semaphore inFlight;
    private final ExecutorService executor;
    private final Set<CompletableFuture<ViewBatch>> pending = ConcurrentHashMap.newKeySet();
    /**
     * View arrays handed back through {@link #recycle}, for {@link #submit(List, long[])} to reuse. A batch at
     * ImageNet shape is 2 × 32 × 150,528 floats (38 MB): allocating it per batch made the young collections copy the
     * in-flight batches every few seconds, which is what held the multi-thread loader back (docs/performance.md,
     * "Input pipeline at ImageNet shape"). Every slot of a reused array is overwritten, so reuse changes no float.
     */
    private final ArrayBlockingQueue<float[]> spare;

    /**
     * @param threads     worker threads (≥ 1); they share the CPU with training, so on a 2-core machine 1–2
     * @param maxInFlight batches that may be unfinished at once before {@link #submit} blocks (≥ 1)
     * @param cacheBytes  decoded-image cache size, 0 for none
     */
    public AugmentPool(ImageDecoder decoder, AugmentConfig config, int threads, int maxInFlight, long cacheBytes) {
        if (threads < 1 || maxInFlight < 1 || cacheBytes < 0) {
            throw new IllegalArgumentException("augment pool needs threads >= 1, maxInFlight >= 1, cacheBytes >= 0; got "
                    + threads + ", " + maxInFlight + ", " + cacheBytes);
        }
        this.decoder = decoder;
        this.augment = new SimSiamAugment(config);
        this.eval = new EvalTransform(config);
        this.cache = cacheBytes > 0 ? new DecodedImageCache(cacheBytes) : null;
        this.threads = threads;
        this.inFlight = new Semaphore(maxInFlight);
        // in flight, plus the batch the caller is training on, plus the one it just recycled; two arrays each
        this.spare = new ArrayBlockingQueue<>(2 * (maxInFlight + 2));
        AtomicInteger id = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "contssl-augment-" + id.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    public AugmentConfig config() {
        return augment.config();
    }

    public int threads() {
        return threads;
    }

    /** The decoded-image cache, or null when disabled. */
    public DecodedImageCache cache() {
        return cache;
    }

    /**
     * Two augmented views per sample into arrays of the pool's: ones given back through {@link #recycle} when their
     * length fits, else new ones.
     */
    public CompletableFuture<ViewBatch> submit(List<Path> files, long[] seeds) throws InterruptedException {
        int len = files.size() * augment.sampleLength();
        return submit(files, seeds, spareArray(len), spareArray(len), true);
    }

    /**
     * Hands a finished batch's view arrays back for later batches of {@link #submit(List, long[])}. The caller must
     * not read them afterwards. Batches into the caller's own arrays and second calls are ignored.
     */
    public void recycle(ViewBatch batch) {
        if (!batch.poolOwned || !batch.recycled.compareAndSet(false, true)) {
            return;
        }
        spare.offer(batch.view1());
        if (batch.view2() != null) {
            spare.offer(batch.view2());
        }
    }

    private float[] spareArray(int len) {
        float[] a;
        while ((a = spare.poll()) != null) {
            if (a.length == len) {
                return a;
            }
        }
        return new float[len];
    }

    /**
     * Two augmented views per sample into the caller's arrays (each at least {@code files.size() * sampleLength}
     * floats), which must not be touched until the future completes.
     */
    public CompletableFuture<ViewBatch> submit(List<Path> files, long[] seeds, float[] view1, float[] view2)
            throws InterruptedException {
        return submit(files, seeds, view1, view2, false);
    }

    private CompletableFuture<ViewBatch> submit(List<Path> files, long[] seeds, float[] view1, float[] view2,
                                                boolean poolOwned) throws InterruptedException {
        if (seeds.length != files.size()) {
            throw new IllegalArgumentException("augment batch has " + files.size() + " files but " + seeds.length
                    + " seeds; pass one seed per sample");
        }
        int len = augment.sampleLength();
        if (view1 == view2) {
            throw new IllegalArgumentException("augment outputs view1 and view2 are the same array; pass two arrays");
        }
        requireCapacity(view1, files.size(), len, "view1");
        requireCapacity(view2, files.size(), len, "view2");
        long[] s = seeds.clone();
        return run(List.copyOf(files), len, view1, view2, poolOwned, (img, i) -> {
            augment.augment(img, SeedMix.viewSeed(s[i], 1), view1, i * len);
            augment.augment(img, SeedMix.viewSeed(s[i], 2), view2, i * len);
        });
    }

    /**
     * The deterministic eval transform per sample ({@code raw}: unnormalised [0, 1] pixels for the raw-pixel
     * baseline); {@link ViewBatch#view2()} is null.
     */
    public CompletableFuture<ViewBatch> submitEval(List<Path> files, boolean raw) throws InterruptedException {
        int len = eval.sampleLength();
        float[] out = new float[files.size() * len];
        return run(List.copyOf(files), len, out, null, false, (img, i) -> {
            if (raw) {
                eval.rawPixels(img, out, i * len);
            } else {
                eval.apply(img, out, i * len);
            }
        });
    }

    /**
     * Decodes each file once (filling the cache, when there is one) and reports the ones that fail: an admission
     * check for a stream chunk before its samples enter a replay buffer, so a bad file is skipped once, up front.
     */
    public CompletableFuture<List<SampleFailure>> submitValidate(List<Path> files) throws InterruptedException {
        return run(List.copyOf(files), 0, new float[0], null, false, (img, i) -> {
        }).thenApply(ViewBatch::failures);
    }

    private static void requireCapacity(float[] a, int n, int len, String name) {
        if ((long) n * len > a.length) {
            throw new IllegalArgumentException("augment output " + name + " holds " + a.length + " floats, batch needs "
                    + (long) n * len);
        }
    }

    private interface SampleWork {
        void run(DecodedImage img, int index);
    }

    private CompletableFuture<ViewBatch> run(List<Path> files, int len, float[] view1, float[] view2,
                                             boolean poolOwned, SampleWork work) throws InterruptedException {
        int n = files.size();
        CompletableFuture<ViewBatch> result = new CompletableFuture<>();
        if (n == 0) {
            result.complete(new ViewBatch(0, len, view1, view2, List.of(), 0, poolOwned));
            return result;
        }
        inFlight.acquire();
        SampleFailure[] failures = new SampleFailure[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger remaining = new AtomicInteger(n);
        AtomicLong nanos = new AtomicLong();
        Runnable worker = () -> {
            int i;
            while ((i = next.getAndIncrement()) < n) {
                if (result.isDone()) {
                    return; // failed or cancelled: skip the rest
                }
                long t0 = System.nanoTime();
                try {
                    DecodedImage img = load(files.get(i));
                    work.run(img, i);
                } catch (ImageDecodeException e) {
                    failures[i] = SampleFailure.of(i, e);
                    Arrays.fill(view1, i * len, (i + 1) * len, 0f);
                    if (view2 != null) {
                        Arrays.fill(view2, i * len, (i + 1) * len, 0f);
                    }
                } catch (RuntimeException | Error e) {
                    finish(result, null, new IllegalStateException("augmenting " + files.get(i) + " failed: " + e, e));
                    return;
                }
                nanos.addAndGet(System.nanoTime() - t0);
                if (remaining.decrementAndGet() == 0) {
                    List<SampleFailure> list = new ArrayList<>();
                    for (SampleFailure f : failures) {
                        if (f != null) {
                            list.add(f);
                        }
                    }
                    finish(result, new ViewBatch(n, len, view1, view2, list, nanos.get(), poolOwned), null);
                    return;
                }
            }
        };
        pending.add(result);
        int tasks = Math.min(threads, n);
        try {
            for (int t = 0; t < tasks; t++) {
                executor.execute(worker);
            }
        } catch (RuntimeException e) {
            finish(result, null, e);
            throw new IllegalStateException("augment pool is closed", e);
        }
        return result;
    }

    /** Completes a batch exactly once, returning its in-flight permit. */
    private void finish(CompletableFuture<ViewBatch> result, ViewBatch batch, Throwable error) {
        boolean first = batch != null ? result.complete(batch) : result.completeExceptionally(error);
        if (first) {
            pending.remove(result);
            inFlight.release();
        }
    }

    private DecodedImage load(Path file) throws ImageDecodeException {
        if (cache == null) {
            return decoder.decode(file);
        }
        DecodedImage d = cache.get(file);
        if (d == null) {
            d = decoder.decode(file);
            cache.put(file, d);
        }
        return d;
    }

    /** Stops the workers; unfinished batches complete exceptionally with a {@link CancellationException}. */
    @Override
    public void close() {
        executor.shutdownNow();
        for (CompletableFuture<ViewBatch> f : List.copyOf(pending)) {
            finish(f, null, new CancellationException("augment pool closed"));
        }
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
