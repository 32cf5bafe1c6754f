package org.contssl.tools.bench.probe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.contssl.core.AtomicFiles;
import org.contssl.core.SplitMix64;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.contssl.model.Engines;
import org.contssl.model.probe.GemmLinearProbe;
import org.contssl.model.probe.MappedFeatureFile;
import org.contssl.model.probe.ProbeSettings;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.ProcessStats;
import org.contssl.tools.bench.train.TrainBenchmark;

/**
 * The linear probe at ImageNet scale, measured on a scaled case: a synthetic {@code rows x dim} feature file with
 * {@code classes} classes is streamed to disk, memory-mapped, and {@link GemmLinearProbe} trains on it in mini-batches.
 * The engine's fp32 matmul peak is measured in the same run, so the achieved GFLOP/s (the two GEMMs' FLOPs over the
 * whole step time, gather, normalisation and LARC included) is reported as a fraction of it, both for the mean step
 * and, like for like with the best-of-N peak, for the fastest step (on a shared, loaded machine libtorch's OpenMP
 * barriers stall whenever one of its threads is descheduled, which hits the many short ops of a step harder than one
 * long GEMM); the epoch time (from the mean) is then
 * extrapolated linearly in rows to 1,281,167 x 2,048 x 1,000 (10.5 GB of features). The peak RSS is the process's
 * {@code VmHWM}, which also counts the mapped file pages touched.
 */
public final class ScaledProbeBenchmark {
    /** ImageNet-1k's training set and a ResNet-50's pooled feature width. */
    public static final long IMAGENET_ROWS = 1_281_167L;
    public static final int IMAGENET_DIM = 2_048;
    public static final int IMAGENET_CLASSES = 1_000;

    /**
     * @param rows       rows of the scaled case (131,072)
     * @param dim        feature width (2,048)
     * @param classes    classes (1,000)
     * @param batch      probe batch size (1,024, the reference's ImageNet recipe)
     * @param maxBatches batches timed, 0 for one whole epoch
     * @param dir        where the feature file goes (null: a temporary directory, deleted afterwards)
     */
    public record Scale(int rows, int dim, int classes, int batch, long maxBatches, Path dir) {
        public static Scale defaults() {
            return new Scale(131_072, IMAGENET_DIM, IMAGENET_CLASSES, 1_024, 0, null);
        }
    }

    private ScaledProbeBenchmark() {}

    static ObjectNode run(BenchReport report, Scale s, ProbeSettings base) throws Exception {
        ProbeSettings settings = base.withBatchSize(s.batch()).withEpochs(1);
        Path dir = s.dir() != null ? Files.createDirectories(s.dir()) : Files.createTempDirectory("contssl-probe-scale");
        Path file = dir.resolve("scaled-" + s.rows() + "x" + s.dim() + "x" + s.classes() + ".feat");
        try {
            long w0 = System.nanoTime();
            writeSynthetic(file, s.rows(), s.dim(), s.classes());
            double writeS = (System.nanoTime() - w0) / 1e9;
            report.say("scaled probe: wrote %d x %d features (%.2f GB) in %.1f s", s.rows(), s.dim(),
                    4.0 * s.rows() * s.dim() / 1e9, writeS);
            double peak = TrainBenchmark.matmulPeak(2_048);
            try (MappedFeatureFile f = MappedFeatureFile.open(file, false)) {
                new GemmLinearProbe(settings).train(f, 2); // warm-up: JIT, engine threads, first pages
                ObjectNode interleaved = interleaved(f, settings);
                GemmLinearProbe probe = new GemmLinearProbe(settings);
                probe.train(f, s.maxBatches() > 0 ? s.maxBatches() : Long.MAX_VALUE);
                GemmLinearProbe.Stats st = probe.stats();
                double gflops = st.gemmFlops() / st.seconds() / 1e9;
                double perRow = st.seconds() / st.rows();
                // linear in rows at fixed dim and classes; rescaled by dim*classes when the scaled case differs
                double shape = (double) IMAGENET_DIM * IMAGENET_CLASSES / ((double) s.dim() * s.classes());
                double epochS = perRow * IMAGENET_ROWS * shape;
                Map<String, Long> status = procStatus();
                ObjectNode o = BenchReport.MAPPER.createObjectNode();
                o.put("rows", s.rows()).put("dim", s.dim()).put("classes", s.classes()).put("batch", s.batch());
                o.put("feature_file_bytes", f.featureBytes()).put("write_s", BenchReport.round(writeS, 2));
                o.put("batches_timed", st.batches()).put("rows_timed", st.rows()).put("train_s", BenchReport.round(st.seconds(), 3));
                o.put("mean_loss", BenchReport.round(st.meanLossLastEpoch(), 4));
                o.put("engine_threads", Engines.info().intraOpThreads());
                o.put("matmul_peak_gflops", BenchReport.round(peak, 1));
                o.put("achieved_gflops", BenchReport.round(gflops, 1));
                o.put("fraction_of_matmul_peak", BenchReport.round(gflops / peak, 3));
                // like for like with the peak (best of its runs): the fastest full step; the headline above is the mean
                double bestGflops = 4.0 * s.batch() * s.dim() * s.classes() / st.bestFullStepSeconds() / 1e9;
                o.put("best_step_gflops", BenchReport.round(bestGflops, 1));
                o.put("fraction_of_matmul_peak_best_step", BenchReport.round(bestGflops / peak, 3));
                o.set("interleaved", interleaved);
                o.put("load_average", BenchReport.round(ProcessStats.loadAverage(), 2));
                o.put("engine_s", BenchReport.round(st.engineSeconds(), 3));
                o.put("engine_gflops", BenchReport.round(st.gemmFlops() / st.engineSeconds() / 1e9, 1));
                o.put("peak_rss_mb", BenchReport.round(status.getOrDefault("VmHWM", -1L) / 1024.0, 1));
                o.put("rss_anon_mb", BenchReport.round(status.getOrDefault("RssAnon", -1L) / 1024.0, 1));
                o.put("rss_file_mb", BenchReport.round(status.getOrDefault("RssFile", -1L) / 1024.0, 1));
                o.put("heap_max_mb", Runtime.getRuntime().maxMemory() >> 20);
                ObjectNode ex = o.putObject("extrapolated_imagenet");
                ex.put("rows", IMAGENET_ROWS).put("dim", IMAGENET_DIM).put("classes", IMAGENET_CLASSES);
                ex.put("feature_bytes", 4L * IMAGENET_ROWS * IMAGENET_DIM);
                ex.put("seconds_per_epoch", BenchReport.round(epochS, 1));
                report.say("scaled probe %d x %d x %d, batch %d: %d batches in %.2f s, %.1f GFLOP/s = %.2f of the %.1f GFLOP/s matmul peak;"
                                + " peak RSS %.0f MB; extrapolated %.0f s per epoch at %d x %d x %d",
                        s.rows(), s.dim(), s.classes(), s.batch(), st.batches(), st.seconds(), gflops, gflops / peak, peak,
                        status.getOrDefault("VmHWM", -1L) / 1024.0, epochS, IMAGENET_ROWS, IMAGENET_DIM, IMAGENET_CLASSES);
                report.say("scaled probe, interleaved with single matmuls under the same load: median %.2f of the matmul"
                        + " rate (load average %.1f)", interleaved.get("median_fraction_of_matmul").asDouble(),
                        ProcessStats.loadAverage());
                return o;
            }
        } finally {
            if (s.dir() == null) {
                AtomicFiles.deleteTree(dir);
            } else {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Chunks of the interleaved measurement and probe steps per chunk. */
    static final int CHUNKS = 6;
    static final int CHUNK_BATCHES = 6;

    /**
     * The fraction of the matmul rate measured like for like on a shared machine: {@link #CHUNKS} times, one 2,048³
     * matmul is timed and right after it {@link #CHUNK_BATCHES} probe steps, so each ratio compares two figures taken
     * under the same load (the headline compares a whole epoch with a best-of-5 peak taken in a second). Reports
     * every pair and the median ratio.
     */
    static ObjectNode interleaved(MappedFeatureFile f, ProbeSettings settings) {
        ObjectNode o = BenchReport.MAPPER.createObjectNode();
        double[] ratios = new double[CHUNKS];
        var samples = o.putArray("samples");
        for (int i = 0; i < CHUNKS; i++) {
            double matmul = matmulOnce(2_048);
            GemmLinearProbe probe = new GemmLinearProbe(settings);
            probe.train(f, CHUNK_BATCHES);
            GemmLinearProbe.Stats st = probe.stats();
            double probeGflops = st.gemmFlops() / st.seconds() / 1e9;
            ratios[i] = probeGflops / matmul;
            samples.addObject().put("matmul_gflops", BenchReport.round(matmul, 1))
                    .put("probe_gflops", BenchReport.round(probeGflops, 1))
                    .put("ratio", BenchReport.round(ratios[i], 3));
        }
        java.util.Arrays.sort(ratios);
        o.put("median_fraction_of_matmul", BenchReport.round((ratios[CHUNKS / 2 - 1] + ratios[CHUNKS / 2]) / 2, 3));
        o.put("load_average", BenchReport.round(ProcessStats.loadAverage(), 2));
        return o;
    }

    /** GFLOP/s of one n³ fp32 matmul on the engine (after one untimed run). */
    static double matmulOnce(int n) {
        return Engines.call(() -> {
            try (NDManager m = Engines.newManager()) {
                NDArray a = m.randomNormal(new Shape(n, n));
                NDArray b = m.randomNormal(new Shape(n, n));
                a.matMul(b).close();
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0);
                return 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9;
            }
        });
    }

    /**
     * Class means on random directions plus cheap uniform noise (SplitMix64 bits, not Gaussians: a 1 GB file must be
     * generated in seconds), streamed row by row so the heap holds one row and the means.
     */
    static void writeSynthetic(Path file, int rows, int dim, int classes) throws IOException {
        Random means = new Random(42);
        float[] mu = new float[Math.multiplyExact(classes, dim)];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (float) (0.35 * means.nextGaussian());
        }
        float[] row = new float[dim];
        long state = 7;
        try (MappedFeatureFile.Writer w = MappedFeatureFile.create(file, rows, dim, classes)) {
            for (int r = 0; r < rows; r++) {
                int c = r % classes;
                for (int k = 0; k < dim; k++) {
                    state += SplitMix64.GOLDEN;
                    float u = (SplitMix64.mix(state) >>> 40) * 0x1.0p-24f; // [0, 1)
                    row[k] = mu[c * dim + k] + 2f * u - 1f;
                }
                w.append(row, 0, c);
            }
            w.commit();
        }
    }

    /** kB figures of /proc/self/status (empty where there is none). */
    static Map<String, Long> procStatus() {
        Map<String, Long> m = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] kv = line.split(":\\s+");
                if (kv.length == 2 && kv[1].endsWith(" kB")) {
                    m.put(kv[0], Long.parseLong(kv[1].substring(0, kv[1].length() - 3).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: the RSS fields read -1
        }
        return m;
    }
}
