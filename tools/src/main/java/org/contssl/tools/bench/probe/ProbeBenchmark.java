package org.contssl.tools.bench.probe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.contssl.model.probe.FeatureMatrix;
import org.contssl.model.probe.KnnClassifier;
import org.contssl.model.probe.LinearProbe;
import org.contssl.model.probe.ProbeSettings;
import org.contssl.model.probe.TopKAccuracy;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.Timing;

/**
 * Probe speed and the raw-pixel floor.
 *
 * <ol>
 *   <li>Speed on a synthetic 10k x 256-d, 10-class feature set: linear-probe training with the default settings, and
 *   the tiled cosine kNN against a naive baseline (one dot product per pair, measured in the same run on a slice of
 *   the queries and scaled up), printed as a ratio.</li>
 *   <li>The raw-pixel floor on real Fashion-MNIST: pixels/255 as features, 10k training images -> t10k, linear probe
 *   (default settings) and kNN-20. Skipped with a message when the IDX files are absent.</li>
 *   <li>The linear probe at ImageNet scale ({@link ScaledProbeBenchmark}): a scaled case on a memory-mapped feature
 *   file, GFLOP/s as a fraction of the engine's matmul peak, peak RSS, and the extrapolated epoch time at
 *   1,281,167 x 2,048 x 1,000.</li>
 * </ol>
 *
 * <p>Wall and CPU time of the calling thread are both reported; with one thread all probe work runs on it, and the CPU
 * figures are the ones to trust on a shared machine.
 */
public final class ProbeBenchmark {
    private ProbeBenchmark() {}

    /** Where Debian's {@code dataset-fashion-mnist} installs the IDX files. */
    public static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * @param data directory of the Fashion-MNIST IDX files
     * @param trainFrom first training image of the raw-pixel floor's training slice (0)
     * @param trainCount size of that slice (10,000)
     * @param threads kNN threads (1)
     * @param settings linear-probe settings (the defaults, optionally with other epochs/lr/batch/seed)
     * @param real whether to measure the raw-pixel floor on real Fashion-MNIST
     * @param synthetic whether to measure speed on the synthetic feature set
     * @param scale the ImageNet-scale case on a memory-mapped feature file (null to skip)
     */
    public record Options(Path data, int trainFrom, int trainCount, int threads, ProbeSettings settings, boolean real,
                          boolean synthetic, ScaledProbeBenchmark.Scale scale) {
        public static Options defaults() {
            return new Options(DEFAULT_DATA, 0, 10_000, 1, ProbeSettings.defaults(), true, true,
                    ScaledProbeBenchmark.Scale.defaults());
        }
    }

    /** Runs the benchmark; progress lines go to {@code log}. */
    public static BenchReport run(Options o, PrintStream log) throws Exception {
        ProbeSettings settings = o.settings();
        int threads = o.threads();
        BenchReport report = BenchReport.start("probe", log);
        ObjectNode out = report.json();
        ObjectNode ps = out.putObject("probe_settings");
        ps.put("epochs", settings.epochs()).put("lr", settings.lr()).put("batch", settings.batchSize())
          .put("momentum", settings.momentum()).put("larc_trust", settings.trustCoefficient())
          .put("weight_decay", settings.weightDecay()).put("seed", settings.seed());
        out.put("knn_k", KnnClassifier.DEFAULT_K).put("knn_temperature", KnnClassifier.DEFAULT_TEMPERATURE).put("threads", threads);

        if (o.synthetic()) {
            out.set("synthetic", synthetic(report, settings, threads));
        }
        if (o.scale() != null) {
            out.set("scaled", ScaledProbeBenchmark.run(report, o.scale(), settings));
        }
        if (o.real()) {
            out.set("fashion_mnist_raw_pixels", realFloor(report, o.data(), o.trainFrom(), o.trainCount(), settings,
                    threads));
        }
        return report;
    }

    private static ObjectNode synthetic(BenchReport report, ProbeSettings settings, int threads) throws Exception {
        int n = 10_000, d = 256, nc = 10;
        FeatureMatrix train = gaussianClasses(n, d, nc, 1L);
        FeatureMatrix test = gaussianClasses(n, d, nc, 2L);
        // warm-up on a slice so the JIT has compiled the kernels before timing
        FeatureMatrix warm = gaussianClasses(1_000, d, nc, 3L);
        new LinearProbe(settings.withEpochs(2)).fitAndEvaluate(warm, warm);
        knn(threads).evaluate(warm, warm);

        Timing.Timed<TopKAccuracy> linT = Timing.once(() -> new LinearProbe(settings).fitAndEvaluate(train, test));
        TopKAccuracy lin = linT.value();
        double linS = linT.wallSeconds(), linCpu = linT.cpuSeconds();
        Timing.Timed<TopKAccuracy> knnT = Timing.once(() -> knn(threads).evaluate(train, test));
        TopKAccuracy knn = knnT.value();
        double knnS = knnT.wallSeconds(), knnCpu = knnT.cpuSeconds();
        int slice = 500;
        Timing.Timed<Double> naive = Timing.once(
                () -> naiveSimilarities(train.l2Normalized(), test.l2Normalized(), slice));
        double naiveS = naive.wallSeconds() * n / slice, naiveCpu = naive.cpuSeconds() * n / slice;

        ObjectNode o = BenchReport.MAPPER.createObjectNode();
        o.put("train", n).put("test", n).put("dim", d).put("classes", nc);
        o.put("linear_train_eval_s", linS).put("linear_cpu_s", linCpu).put("linear_top1", lin.top1());
        o.put("knn_s", knnS).put("knn_cpu_s", knnCpu).put("knn_top1", knn.top1());
        o.put("naive_knn_similarities_s_extrapolated", naiveS).put("naive_knn_similarities_cpu_s_extrapolated", naiveCpu);
        // CPU-time ratio: robust to other processes sharing the cores (wall ratios only when threads == 1)
        o.put("knn_speedup_vs_naive", threads == 1 ? naiveCpu / knnCpu : naiveS / knnS);
        report.say("synthetic %dx%d, %d classes: linear probe %.2f s wall / %.2f s CPU (top-1 %.1f %%), kNN-20 %.2f s wall / %.2f s CPU (top-1 %.1f %%, %d thread(s)); naive kNN similarities alone ~%.2f s CPU -> tiled kernel %.1fx faster",
                n, d, nc, linS, linCpu, lin.top1(), knnS, knnCpu, knn.top1(), threads, naiveCpu, threads == 1 ? naiveCpu / knnCpu : naiveS / knnS);
        return o;
    }

    private static ObjectNode realFloor(BenchReport report, Path dir, int from, int count, ProbeSettings settings, int threads) throws Exception {
        ObjectNode o = BenchReport.MAPPER.createObjectNode();
        Path trImg = dir.resolve("train-images-idx3-ubyte.gz");
        if (!Files.isRegularFile(trImg)) {
            String msg = "skipped: " + trImg + " not found (apt-get install -y dataset-fashion-mnist, or pass --data DIR)";
            o.put("status", msg);
            report.log().println("fashion-mnist raw-pixel floor " + msg);
            return o;
        }
        IdxFile.Images tri = IdxFile.readImages(trImg);
        int[] trl = IdxFile.readLabels(dir.resolve("train-labels-idx1-ubyte.gz"));
        IdxFile.Images tei = IdxFile.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"));
        int[] tel = IdxFile.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        if (from < 0 || from + count > tri.count()) {
            throw new IllegalArgumentException("probe benchmark: --train-from " + from + " --train-count " + count + " exceeds the " + tri.count() + " training images");
        }
        FeatureMatrix train = rawPixels(tri, trl, from, count);
        FeatureMatrix test = rawPixels(tei, tel, 0, tei.count());
        Timing.Timed<TopKAccuracy> linT = Timing.once(() -> new LinearProbe(settings).fitAndEvaluate(train, test));
        TopKAccuracy lin = linT.value();
        double linS = linT.wallSeconds(), linCpu = linT.cpuSeconds();
        Timing.Timed<TopKAccuracy> knnT = Timing.once(() -> knn(threads).evaluate(train, test));
        TopKAccuracy knn = knnT.value();
        double knnS = knnT.wallSeconds(), knnCpu = knnT.cpuSeconds();
        o.put("train_slice", "train[" + from + "," + (from + count) + ")").put("test", "t10k (" + test.rows() + ")");
        o.put("linear_top1", lin.top1()).put("linear_top5", lin.top5()).put("linear_s", linS).put("linear_cpu_s", linCpu);
        o.put("knn_top1", knn.top1()).put("knn_top5", knn.top5()).put("knn_s", knnS).put("knn_cpu_s", knnCpu);
        report.say("fashion-mnist raw pixels, train[%d,%d) -> t10k: linear top-1 %.2f %% top-5 %.2f %% (%.1f s wall, %.1f s CPU); kNN-20 top-1 %.2f %% top-5 %.2f %% (%.1f s wall, %.1f s CPU)",
                from, from + count, lin.top1(), lin.top5(), linS, linCpu, knn.top1(), knn.top5(), knnS, knnCpu);
        return o;
    }

    /** Pixels scaled to [0,1] (the probe L2-normalises them anyway). */
    static FeatureMatrix rawPixels(IdxFile.Images im, int[] labels, int from, int count) {
        int d = im.pixelsPerImage();
        float[] v = new float[count * d];
        int[] l = new int[count];
        byte[] px = im.pixels();
        for (int i = 0; i < count; i++) {
            int src = (from + i) * d;
            for (int k = 0; k < d; k++) {
                v[i * d + k] = (px[src + k] & 0xff) / 255f;
            }
            l[i] = labels[from + i];
        }
        return new FeatureMatrix(v, count, d, l, 10);
    }

    /** Overlapping Gaussian classes (unit noise, mean shift 0.35 on a class-specific random direction). */
    static FeatureMatrix gaussianClasses(int n, int d, int nc, long seed) {
        Random means = new Random(42);
        float[][] mu = new float[nc][d];
        for (float[] m : mu) for (int k = 0; k < d; k++) m[k] = (float) (0.35 * means.nextGaussian());
        Random r = new Random(seed);
        float[] v = new float[n * d];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % nc;
            for (int k = 0; k < d; k++) v[i * d + k] = (float) r.nextGaussian() + mu[l[i]][k];
        }
        return new FeatureMatrix(v, n, d, l, nc);
    }

    /** The straightforward baseline: one double-precision dot product per (query, train) pair. */
    private static double naiveSimilarities(FeatureMatrix train, FeatureMatrix test, int queries) {
        int d = train.dim();
        float[] a = test.values(), b = train.values();
        double sink = 0;
        for (int q = 0; q < queries; q++) {
            for (int t = 0; t < train.rows(); t++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += a[q * d + k] * b[t * d + k];
                sink += s;
            }
        }
        return sink;
    }

    private static KnnClassifier knn(int threads) {
        return new KnnClassifier(KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE, threads);
    }
}
