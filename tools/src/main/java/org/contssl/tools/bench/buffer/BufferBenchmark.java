package org.contssl.tools.bench.buffer;

import org.contssl.core.SplitMix64;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.contssl.storage.BufferDiagnostics;
import org.contssl.storage.BufferPolicy;
import org.contssl.storage.BufferSpec;
import org.contssl.storage.ReplayBuffer;
import org.contssl.storage.ReplayBuffers;
import org.contssl.storage.internal.Dots;
import org.contssl.storage.internal.Features;

/**
 * {@code ./run.sh bench buffer [--json]}: replay-buffer throughput at the paper's scale (65,536 entries x 512-d,
 * chunks of 256, R = 4) on synthetic clustered features: FIFO and MinRed insert+evict rates, MinRed bookkeeping per
 * chunk (to compare with R training steps), the incremental MinRed against the full-matrix method on the same state
 * (ratio and identical choices), statistics updates/s, sampled batches/s, file size, RSS, and the buffer diagnostics.
 *
 * <p>Options: --capacity N (65536), --dim D (512), --chunk B (256), --repeats R (4), --chunks C (6 measured stream
 * chunks), --full-chunks F (1: the full-matrix method costs ~m^2 d per chunk, so it runs on the last F measured
 * chunks only), --clusters K (2048), --dir PATH (a temporary directory), --seed S.
 */
public final class BufferBenchmark {
    private final int capacity, dim, chunk, repeats, chunks, fullChunks, clusters;
    private final long seed;
    private final Path dir;
    private final float[][] centres;

    private BufferBenchmark(Map<String, String> o) throws IOException {
        capacity = Integer.parseInt(o.getOrDefault("capacity", "65536"));
        dim = Integer.parseInt(o.getOrDefault("dim", "512"));
        chunk = Integer.parseInt(o.getOrDefault("chunk", "256"));
        repeats = Integer.parseInt(o.getOrDefault("repeats", "4"));
        chunks = Integer.parseInt(o.getOrDefault("chunks", "6"));
        fullChunks = Integer.parseInt(o.getOrDefault("full-chunks", "1"));
        clusters = Integer.parseInt(o.getOrDefault("clusters", "2048"));
        seed = Long.parseLong(o.getOrDefault("seed", "1"));
        dir = o.containsKey("dir") ? Path.of(o.get("dir")) : Files.createTempDirectory("contssl-buffer-bench");
        SplitMix64 r = new SplitMix64(seed);
        centres = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            centres[c] = unit(gaussian(r, 1f, null));
        }
    }

    public static void main(String[] args) throws Exception {
        // stdout carries only the result: libraries that log to the console (Chronicle via logback) go to stderr
        java.io.PrintStream result = System.out;
        System.setOut(System.err);
        Map<String, String> o = new HashMap<>();
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                json = true;
            } else if (a.startsWith("--") && i + 1 < args.length) {
                o.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("bench buffer: unknown argument " + a + "; options: --json"
                        + " --capacity --dim --chunk --repeats --chunks --full-chunks --clusters --dir --seed");
            }
        }
        Map<String, Object> res = new BufferBenchmark(o).run(json);
        if (json) {
            result.println(new ObjectMapper().writeValueAsString(res));
        } else {
            result.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(res));
        }
        result.flush();
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

    /** CPU time of the whole process (all threads): the fair cost measure on a machine shared with others. */
    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    private static int threads() {
        return Integer.getInteger("contssl.storage.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: RSS unknown
        }
        return -1;
    }

    private static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }

    // ---- runs ----

    private Map<String, Object> run(boolean quiet) throws Exception {
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
        res.put("fifo", fifo(quiet));
        res.put("minred", minred(quiet));
        res.put("rss_bytes", rssBytes());
        return res;
    }

    private void say(boolean quiet, String s) {
        if (!quiet) {
            System.err.println(s);
        }
    }

    private Map<String, Object> fifo(boolean quiet) throws IOException {
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
            say(quiet, "fifo: " + r);
        }
        return r;
    }

    private Map<String, Object> minred(boolean quiet) throws Exception {
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
            say(quiet, "minred: filled and trained every entry once (" + round(warm, 1) + " s)");
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
            say(quiet, "minred: neighbour index built in " + r.get("index_build_s") + " s");
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
                    long fc0 = cpuNanos();
                    expected = FullMatrixBaseline.evict(feats, dim, chunk, threads());
                    fullS += (System.nanoTime() - f0) / 1e9;
                    fullCpu += (cpuNanos() - fc0) / 1e9;
                    say(quiet, "minred: full-matrix method on chunk " + k + " took "
                            + round((System.nanoTime() - f0) / 1e9, 1) + " s");
                }
                long i0 = System.nanoTime();
                long cpu0 = cpuNanos();
                b.insert(c, labels(c));
                double ins = (System.nanoTime() - i0) / 1e9;
                double insCpu = (cpuNanos() - cpu0) / 1e9;
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
                say(quiet, "minred: chunk " + k + " insert+evict " + round(ins * 1000, 1) + " ms");
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
            say(quiet, "minred: " + r);
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
        long c0 = cpuNanos();
        b.updateStats(batch, loss, sim, f);
        double s = (System.nanoTime() - t0) / 1e9;
        cpu[0] = (cpuNanos() - c0) / 1e9;
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
