package org.contssl.tools.bench.buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.core.AtomicFiles;
import org.contssl.core.SplitMix64;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.pretrain.PretrainPlan;
import org.contssl.storage.BufferDiagnostics;
import org.contssl.storage.BufferPolicy;
import org.contssl.storage.BufferSpec;
import org.contssl.storage.ReplayBuffer;
import org.contssl.storage.ReplayBuffers;
import org.contssl.storage.internal.Dots;
import org.contssl.storage.internal.Features;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.ProcessStats;

/**
 * {@code ./run.sh bench buffer [--json]}: replay-buffer throughput at the paper's scale (65,536 entries x 512-d,
 * chunks of 256, R = 4) on synthetic clustered features: FIFO and MinRed insert+evict rates, MinRed bookkeeping per
 * chunk (to compare with R training steps), the incremental MinRed against the full-matrix method on the same state
 * (ratio and identical choices), statistics updates/s, sampled batches/s, file size, RSS, and the buffer diagnostics.
 */
public final class BufferBenchmark {

    /**
     * @param capacity buffer entries (65,536)
     * @param dim feature dimension (512)
     * @param chunk stream chunk = batch size (256)
     * @param repeats statistics updates per chunk, R (4)
     * @param chunks measured stream chunks (6)
     * @param fullChunks chunks on which the full-matrix method also runs (1: it costs ~m^2 d per chunk, so only the
     *     last measured chunks)
     * @param clusters synthetic feature clusters (2,048)
     * @param dir where the buffer files go, or null for a temporary directory deleted afterwards
     * @param seed seed of the synthetic features and the buffers
     * @param train the training the bookkeeping is compared with, or null for none
     */
    public record Options(int capacity, int dim, int chunk, int repeats, int chunks, int fullChunks, int clusters,
                          Path dir, long seed, TrainReference train) {
        public static Options defaults() {
            return new Options(65_536, 512, 256, 4, 6, 1, 2048, null, 1, null);
        }
    }

    /**
     * A SimSiam backbone timed in the same run, and the checkpoint interval of a preset the index rebuild is set
     * against.
     *
     * @param model {@code resnet18} or {@code resnet50}, at 224 px
     * @param batch the timed batch (a 2-core machine times a small one)
     * @param steps timed steps after one warm-up step
     * @param threads intra-op threads of the engine
     * @param preset the preset whose checkpoint interval is used, or null
     * @param intervalSteps SGD steps between two of that preset's checkpoints (0: none)
     */
    public record TrainReference(String model, int batch, int steps, int threads, String preset, long intervalSteps) {
        /** The preset's checkpoint interval in SGD steps, from the plan both {@code plan} and pretraining use. */
        public static TrainReference of(String model, int batch, int steps, int threads, String preset) {
            RunConfig c = ConfigLoader.loadIncomplete(preset, List.of()).config();
            if (c.data().numFiles() <= 0) {
                throw new IllegalArgumentException("--interval-preset: " + preset
                        + " states no data.num_files; pick a paper preset");
            }
            long total = PretrainPlan.of(c, c.data().numFiles() / c.data().subsample()).totalSteps();
            return new TrainReference(model, batch, steps, threads, preset,
                    Math.max(1, Math.round(total * c.logging().saveFreq())));
        }
    }

    private final int capacity, dim, chunk, repeats, chunks, fullChunks, clusters;
    private final long seed;
    private final TrainReference train;
    private final Path dir;
    private final float[][] centres;
    private final BenchReport report;

    private BufferBenchmark(Options o, Path dir, BenchReport report) {
        capacity = o.capacity();
        dim = o.dim();
        chunk = o.chunk();
        repeats = o.repeats();
        chunks = o.chunks();
        fullChunks = o.fullChunks();
        clusters = o.clusters();
        seed = o.seed();
        train = o.train();
        this.dir = dir;
        this.report = report;
        SplitMix64 r = new SplitMix64(seed);
        centres = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            centres[c] = unit(gaussian(r, 1f, null));
        }
    }

    /** Runs the benchmark; progress lines go to {@code log}. */
    public static BenchReport run(Options o, PrintStream log) throws Exception {
        boolean temp = o.dir() == null;
        Path dir = temp ? Files.createTempDirectory("contssl-buffer-bench") : Files.createDirectories(o.dir());
        BenchReport report = BenchReport.start("buffer", log);
        try {
            new BufferBenchmark(o, dir, report).run();
        } finally {
            if (temp) {
                AtomicFiles.deleteTree(dir);
            }
        }
        return report;
    }

    // ---- synthetic data ----

    private float[] gaussian(SplitMix64 r, float scale, float[] base) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i += 2) {
            double u1 = (r.nextLong() >>> 11) * 0x1.0p-53, u2 = (r.nextLong() >>> 11) * 0x1.0p-53;
            double rad = Math.sqrt(-2 * Math.log(Math.max(u1, 1e-300)));
            v[i] = (float) (rad * Math.cos(2 * Math.PI * u2)) * scale;
            if (i + 1 < dim) {
                v[i + 1] = (float) (rad * Math.sin(2 * Math.PI * u2)) * scale;
            }
        }
        if (base != null) {
            for (int i = 0; i < dim; i++) {
                v[i] += base[i];
            }
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double ss = 0;
        for (float x : v) {
            ss += (double) x * x;
        }
        double n = Math.sqrt(ss);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / n);
        }
        return v;
    }

    /** normalize(z1 + z2) of one training step for a stream position: its cluster centre plus view noise. */
    private float[] feature(long streamIdx, long step) {
        SplitMix64 r = new SplitMix64(SplitMix64.derive(seed, streamIdx * 1_000_003L + step));
        int c = (int) Math.floorMod(SplitMix64.derive(seed + 7, streamIdx), (long) clusters);
        return unit(gaussian(r, 0.8f / (float) Math.sqrt(dim), centres[c]));
    }

    private static long[] ids(long from, int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = from + i;
        }
        return a;
    }

    private static int[] labels(long[] ids) {
        int[] l = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = (int) (ids[i] % 10);
        }
        return l;
    }

    private static int threads() {
        return Integer.getInteger("contssl.storage.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    private static double round(double v, int digits) {
        return BenchReport.round(v, digits);
    }

    // ---- runs ----

    private void run() throws Exception {
        Map<String, Object> res = new LinkedHashMap<>();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("capacity", capacity);
        cfg.put("feature_dim", dim);
        cfg.put("chunk", chunk);
        cfg.put("num_updates_R", repeats);
        cfg.put("measured_stream_chunks", chunks);
        cfg.put("full_matrix_chunks", fullChunks);
        cfg.put("vector_kernel", Dots.vectorized());
        cfg.put("threads", threads());
        cfg.put("cpus", Runtime.getRuntime().availableProcessors());
        res.put("config", cfg);
        res.put("fifo", fifo());
        Map<String, Object> minred = minred();
        res.put("minred", minred);
        res.put("rss_bytes", ProcessStats.rssBytes());
        if (train != null) {
            res.put("against_training", ChunkTrainingTime.compare(train, repeats, chunk, minred, report));
        }
        report.putAll(res);
    }

    private void say(String s) {
        report.log().println(s);
    }

    private Map<String, Object> fifo() throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        BufferSpec spec = BufferSpec.of(BufferPolicy.FIFO, capacity, dim, seed);
        try (ReplayBuffer b = ReplayBuffers.create(spec, dir.resolve("fifo"))) {
            long next = 0;
            long t0 = System.nanoTime();
            while (!b.isFull()) {
                long[] c = ids(next, chunk);
                next += chunk;
                b.insert(c, labels(c));
            }
            double fill = (System.nanoTime() - t0) / 1e9;
            int streamChunks = Math.max(chunks, 20);
            t0 = System.nanoTime();
            for (int k = 0; k < streamChunks; k++) {
                long[] c = ids(next, chunk);
                next += chunk;
                b.insert(c, labels(c));
            }
            double stream = (System.nanoTime() - t0) / 1e9;
            int batches = 2000;
            t0 = System.nanoTime();
            for (int k = 0; k < batches; k++) {
                b.sample(chunk);
            }
            double sampling = (System.nanoTime() - t0) / 1e9;
            r.put("fill_entries_per_s", round(capacity / fill, 1));
            r.put("insert_evict_entries_per_s", round(streamChunks * (double) chunk / stream, 1));
            r.put("sampled_batches_per_s", round(batches / sampling, 1));
            r.put("file_bytes", Files.size(dir.resolve("fifo").resolve("replay.cm")));
            say("fifo: " + r);
        }
        return r;
    }

    private Map<String, Object> minred() throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        BufferSpec spec = BufferSpec.of(BufferPolicy.MINRED, capacity, dim, seed);
        Path d = dir.resolve("minred");
        // the benchmark's own copy of every held entry's feature, for the full-matrix method
        Map<Long, float[]> mirror = new HashMap<>();
        long[] updates = new long[1];
        try (ReplayBuffer b = ReplayBuffers.create(spec, d)) {
            long next = 0;
            long t0 = System.nanoTime();
            while (!b.isFull()) {
                long[] c = ids(next, chunk);
                next += chunk;
                b.insert(c, labels(c));
            }
            r.put("fill_entries_per_s", round(capacity / ((System.nanoTime() - t0) / 1e9), 1));
            // warm state: every entry trained once (a long run's steady state), fed through the real API
            t0 = System.nanoTime();
            long[] held = b.streamIndices();
            for (int i = 0; i < held.length; i += chunk) {
                long[] batch = Arrays.copyOfRange(held, i, Math.min(held.length, i + chunk));
                step(b, batch, mirror, updates);
            }
            double warm = (System.nanoTime() - t0) / 1e9;
            r.put("stats_update_calls_entries_per_s", round(held.length / warm, 1));
            say("minred: filled and trained every entry once (" + round(warm, 1) + " s)");
            // the first eviction compares every entry with every other once (index build), untimed in the per-chunk
            // figures because a run pays it once, at the first chunk after the fill phase
            long[] c0 = ids(next, chunk);
            next += chunk;
            t0 = System.nanoTime();
            b.insert(c0, labels(c0));
            r.put("index_build_s", round((System.nanoTime() - t0) / 1e9, 2));
            r.put("index_build_note", "first eviction after every entry changed at once (as after a crash"
                    + " recovery): every pair once; a run from an empty buffer never pays it in one piece");
            forget(b, mirror);
            say("minred: neighbour index built in " + r.get("index_build_s") + " s");
            for (int s = 0; s < repeats; s++) {
                step(b, b.sample(chunk), mirror, updates);
            }

            double insertS = 0, statsS = 0, sampleS = 0, fullS = 0, incForFull = 0, cpuBook = 0;
            double fullCpu = 0, incCpuForFull = 0;
            boolean identical = true;
            int compared = 0;
            for (int k = 0; k < chunks; k++) {
                long[] c = ids(next, chunk);
                next += chunk;
                int[] expected = null;
                long[] candIds = null;
                boolean compare = k >= chunks - fullChunks; // the last chunks: JIT and caches are warm by then
                if (compare) {
                    long[] order = b.streamIndices();
                    int m = 0;
                    for (long id : order) {
                        if (mirror.containsKey(id)) {
                            m++;
                        }
                    }
                    candIds = new long[m];
                    float[][] feats = new float[m][];
                    int j = 0;
                    for (long id : order) {
                        if (mirror.containsKey(id)) {
                            candIds[j] = id;
                            feats[j++] = mirror.get(id);
                        }
                    }
                    long f0 = System.nanoTime();
                    long fc0 = ProcessStats.processCpuNanos();
                    expected = FullMatrixBaseline.evict(feats, dim, chunk, threads());
                    fullS += (System.nanoTime() - f0) / 1e9;
                    fullCpu += (ProcessStats.processCpuNanos() - fc0) / 1e9;
                    say("minred: full-matrix method on chunk " + k + " took "
                            + round((System.nanoTime() - f0) / 1e9, 1) + " s");
                }
                long i0 = System.nanoTime();
                long cpu0 = ProcessStats.processCpuNanos();
                b.insert(c, labels(c));
                double ins = (System.nanoTime() - i0) / 1e9;
                double insCpu = (ProcessStats.processCpuNanos() - cpu0) / 1e9;
                cpuBook += insCpu;
                insertS += ins;
                if (expected != null) {
                    incForFull += ins;
                    incCpuForFull += insCpu;
                    long[] got = b.lastEvicted();
                    long[] want = new long[expected.length];
                    for (int e = 0; e < expected.length; e++) {
                        want[e] = candIds[expected[e]];
                    }
                    identical &= Arrays.equals(got, want);
                    compared++;
                }
                forget(b, mirror);
                for (int s = 0; s < repeats; s++) {
                    long s0 = System.nanoTime();
                    long[] batch = b.sample(chunk);
                    sampleS += (System.nanoTime() - s0) / 1e9;
                    double[] cpu = new double[1];
                    statsS += step(b, batch, mirror, updates, cpu);
                    cpuBook += cpu[0];
                }
                say("minred: chunk " + k + " insert+evict " + round(ins * 1000, 1) + " ms");
            }
            double bookkeeping = (insertS + statsS) / chunks;
            r.put("insert_evict_entries_per_s", round(chunks * (double) chunk / insertS, 1));
            r.put("insert_evict_ms_per_chunk", round(insertS / chunks * 1000, 1));
            r.put("stats_updates_per_s_api", round(chunks * (double) repeats * chunk / statsS, 1));
            r.put("stats_updates_per_s_incl_deferred_similarity", round(chunks * (double) repeats * chunk
                    / (statsS + insertS), 1));
            r.put("bookkeeping_ms_per_chunk", round(bookkeeping * 1000, 1));
            r.put("bookkeeping_cpu_ms_per_chunk", round(cpuBook / chunks * 1000, 1));
            r.put("bookkeeping_definition", "insert + evictions + neighbour-index sync of one chunk plus its R"
                    + " statistics updates (sampling excluded)");
            r.put("sampled_batches_per_s", round(chunks * (double) repeats / sampleS, 1));
            if (compared > 0) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("chunks_compared", compared);
                f.put("full_matrix_s_per_chunk", round(fullS / compared, 2));
                f.put("incremental_s_per_chunk", round(incForFull / compared, 3));
                f.put("speedup", round(fullS / incForFull, 1));
                f.put("full_matrix_cpu_s_per_chunk", round(fullCpu / compared, 2));
                f.put("incremental_cpu_s_per_chunk", round(incCpuForFull / compared, 3));
                f.put("speedup_cpu", round(fullCpu / incCpuForFull, 1));
                f.put("identical_choices", identical);
                f.put("note", "full-matrix method = all m^2 similarities recomputed per chunk (the reference's cost),"
                        + " run on the last " + compared + " measured chunk(s) only to keep the runtime sane;"
                        + " incremental = the same chunks' insert + eviction (incl. the deferred similarity sync)");
                r.put("full_matrix_comparison", f);
            }
            ByteArrayOutputStream snap = new ByteArrayOutputStream();
            long s0 = System.nanoTime();
            b.snapshotTo(snap);
            r.put("snapshot_bytes", snap.size());
            r.put("snapshot_s", round((System.nanoTime() - s0) / 1e9, 2));
            r.put("file_bytes", Files.size(d.resolve("replay.cm")));
            BufferDiagnostics diag = b.diagnostics();
            Map<String, Object> dg = new LinkedHashMap<>();
            dg.put("size", diag.size());
            dg.put("seen", diag.seenCount());
            dg.put("mean_num_seen", round(diag.meanNumSeen(), 3));
            dg.put("max_num_seen", diag.maxNumSeen());
            dg.put("mean_neighbour_similarity", round(diag.meanNeighbourSimilarity(), 4));
            dg.put("age_bin_upper_bounds", diag.ageBinUpperBounds());
            dg.put("age_histogram", diag.ageHistogram());
            dg.put("label_counts", diag.labelCounts());
            r.put("diagnostics", dg);
            say("minred: " + r);
        }
        return r;
    }

    /** One training step's statistics for a batch; returns the seconds spent in updateStats. */
    private double step(ReplayBuffer b, long[] batch, Map<Long, float[]> mirror, long[] updates) {
        return step(b, batch, mirror, updates, new double[1]);
    }

    private double step(ReplayBuffer b, long[] batch, Map<Long, float[]> mirror, long[] updates, double[] cpu) {
        float[] loss = new float[batch.length], sim = new float[batch.length];
        float[][] f = new float[batch.length][];
        for (int i = 0; i < batch.length; i++) {
            f[i] = feature(batch[i], updates[0]++);
            loss[i] = -0.8f;
            sim[i] = 0.7f;
        }
        long t0 = System.nanoTime();
        long c0 = ProcessStats.processCpuNanos();
        b.updateStats(batch, loss, sim, f);
        double s = (System.nanoTime() - t0) / 1e9;
        cpu[0] = (ProcessStats.processCpuNanos() - c0) / 1e9;
        for (int i = 0; i < batch.length; i++) {
            float[] cur = mirror.get(batch[i]);
            if (cur == null) {
                mirror.put(batch[i], f[i].clone());
            } else {
                Features.blendInto(cur, 0, f[i], dim);
            }
        }
        return s;
    }

    /** Drops evicted entries from the benchmark's feature copy. */
    private static void forget(ReplayBuffer b, Map<Long, float[]> mirror) {
        for (long id : b.lastEvicted()) {
            mirror.remove(id);
        }
    }
}
