package org.contssl.tools.bench.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.contssl.model.probe.FeatureMatrix;
import org.contssl.model.probe.KnnClassifier;
import org.contssl.model.probe.LinearProbe;
import org.contssl.model.probe.ProbeSettings;
import org.contssl.model.probe.TopKAccuracy;

/**
 * Probe speed and the raw-pixel floor.
 *
 * <ol>
 *   <li>Speed on a synthetic 10k x 256-d, 10-class feature set: linear-probe training with the default settings, and
 *   the tiled cosine kNN against a naive baseline (one dot product per pair, measured in the same run on a slice of
 *   the queries and scaled up), printed as a ratio.</li>
 *   <li>The raw-pixel floor on real Fashion-MNIST: pixels/255 as features, 10k training images -> t10k, linear probe
 *   (default settings) and kNN-20. Skipped with a message when the IDX files are absent.</li>
 * </ol>
 *
 * <pre>./run.sh bench probe [--json] [--data DIR] [--train-from 0] [--train-count 10000] [--threads 1]
 *        [--epochs E] [--lr LR] [--batch B] [--seed S] [--skip-real] [--skip-synthetic]</pre>
 */
public final class ProbeBenchmark {
    private ProbeBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean json = false, skipReal = false, skipSynthetic = false;
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        int trainFrom = 0, trainCount = 10_000, threads = 1;
        ProbeSettings settings = ProbeSettings.defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = true;
                case "--skip-real" -> skipReal = true;
                case "--skip-synthetic" -> skipSynthetic = true;
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--train-from" -> trainFrom = Integer.parseInt(value(args, ++i, a));
                case "--train-count" -> trainCount = Integer.parseInt(value(args, ++i, a));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--epochs" -> settings = settings.withEpochs(Integer.parseInt(value(args, ++i, a)));
                case "--lr" -> settings = settings.withLr(Double.parseDouble(value(args, ++i, a)));
                case "--batch" -> settings = settings.withBatchSize(Integer.parseInt(value(args, ++i, a)));
                case "--seed" -> settings = settings.withSeed(Long.parseLong(value(args, ++i, a)));
                default -> throw new IllegalArgumentException("probe benchmark: unknown option '" + a + "'; see the class javadoc for the options");
            }
        }
        ObjectMapper om = new ObjectMapper();
        ObjectNode out = om.createObjectNode();
        out.put("benchmark", "probe");
        ObjectNode ps = out.putObject("probe_settings");
        ps.put("epochs", settings.epochs()).put("lr", settings.lr()).put("batch", settings.batchSize())
          .put("momentum", settings.momentum()).put("larc_trust", settings.trustCoefficient())
          .put("weight_decay", settings.weightDecay()).put("seed", settings.seed());
        out.put("knn_k", KnnClassifier.DEFAULT_K).put("knn_temperature", KnnClassifier.DEFAULT_TEMPERATURE).put("threads", threads);

        if (!skipSynthetic) {
            out.set("synthetic", synthetic(om, settings, threads, json));
        }
        if (!skipReal) {
            out.set("fashion_mnist_raw_pixels", realFloor(om, data, trainFrom, trainCount, settings, threads, json));
        }
        if (json) {
            System.out.println(om.writeValueAsString(out));
        }
    }

    private static ObjectNode synthetic(ObjectMapper om, ProbeSettings settings, int threads, boolean json) {
        int n = 10_000, d = 256, nc = 10;
        FeatureMatrix train = gaussianClasses(n, d, nc, 1L);
        FeatureMatrix test = gaussianClasses(n, d, nc, 2L);
        // warm-up on a slice so the JIT has compiled the kernels before timing
        FeatureMatrix warm = gaussianClasses(1_000, d, nc, 3L);
        new LinearProbe(settings.withEpochs(2)).fitAndEvaluate(warm, warm);
        new KnnClassifier(KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE, threads).evaluate(warm, warm);

        long t0 = System.nanoTime();
        long c0 = cpu();
        TopKAccuracy lin = new LinearProbe(settings).fitAndEvaluate(train, test);
        double linS = secs(t0), linCpu = cpuSecs(c0);
        t0 = System.nanoTime();
        c0 = cpu();
        TopKAccuracy knn = new KnnClassifier(KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE, threads).evaluate(train, test);
        double knnS = secs(t0), knnCpu = cpuSecs(c0);
        int slice = 500;
        t0 = System.nanoTime();
        c0 = cpu();
        naiveSimilarities(train.l2Normalized(), test.l2Normalized(), slice);
        double naiveS = secs(t0) * n / slice, naiveCpu = cpuSecs(c0) * n / slice;

        ObjectNode o = om.createObjectNode();
        o.put("train", n).put("test", n).put("dim", d).put("classes", nc);
        o.put("linear_train_eval_s", linS).put("linear_cpu_s", linCpu).put("linear_top1", lin.top1());
        o.put("knn_s", knnS).put("knn_cpu_s", knnCpu).put("knn_top1", knn.top1());
        o.put("naive_knn_similarities_s_extrapolated", naiveS).put("naive_knn_similarities_cpu_s_extrapolated", naiveCpu);
        // CPU-time ratio: robust to other processes sharing the cores (wall ratios only when threads == 1)
        o.put("knn_speedup_vs_naive", threads == 1 ? naiveCpu / knnCpu : naiveS / knnS);
        if (!json) {
            System.out.printf("synthetic %dx%d, %d classes: linear probe %.2f s wall / %.2f s CPU (top-1 %.1f %%), kNN-20 %.2f s wall / %.2f s CPU (top-1 %.1f %%, %d thread(s)); naive kNN similarities alone ~%.2f s CPU -> tiled kernel %.1fx faster%n",
                    n, d, nc, linS, linCpu, lin.top1(), knnS, knnCpu, knn.top1(), threads, naiveCpu, threads == 1 ? naiveCpu / knnCpu : naiveS / knnS);
        }
        return o;
    }

    private static ObjectNode realFloor(ObjectMapper om, Path dir, int from, int count, ProbeSettings settings, int threads, boolean json) throws Exception {
        ObjectNode o = om.createObjectNode();
        Path trImg = dir.resolve("train-images-idx3-ubyte.gz");
        if (!Files.isRegularFile(trImg)) {
            String msg = "skipped: " + trImg + " not found (apt-get install -y dataset-fashion-mnist, or pass --data DIR)";
            o.put("status", msg);
            if (!json) System.out.println("fashion-mnist raw-pixel floor " + msg);
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
        long t0 = System.nanoTime();
        long c0 = cpu();
        TopKAccuracy lin = new LinearProbe(settings).fitAndEvaluate(train, test);
        double linS = secs(t0), linCpu = cpuSecs(c0);
        t0 = System.nanoTime();
        c0 = cpu();
        TopKAccuracy knn = new KnnClassifier(KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE, threads).evaluate(train, test);
        double knnS = secs(t0), knnCpu = cpuSecs(c0);
        o.put("train_slice", "train[" + from + "," + (from + count) + ")").put("test", "t10k (" + test.rows() + ")");
        o.put("linear_top1", lin.top1()).put("linear_top5", lin.top5()).put("linear_s", linS).put("linear_cpu_s", linCpu);
        o.put("knn_top1", knn.top1()).put("knn_top5", knn.top5()).put("knn_s", knnS).put("knn_cpu_s", knnCpu);
        if (!json) {
            System.out.printf("fashion-mnist raw pixels, train[%d,%d) -> t10k: linear top-1 %.2f %% top-5 %.2f %% (%.1f s wall, %.1f s CPU); kNN-20 top-1 %.2f %% top-5 %.2f %% (%.1f s wall, %.1f s CPU)%n",
                    from, from + count, lin.top1(), lin.top5(), linS, linCpu, knn.top1(), knn.top5(), knnS, knnCpu);
        }
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

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time of this thread (ns); with --threads 1 all probe work runs on it. */
    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double cpuSecs(long c0) {
        return (cpu() - c0) / 1e9;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException("probe benchmark: option " + opt + " needs a value");
        }
        return args[i];
    }
}
