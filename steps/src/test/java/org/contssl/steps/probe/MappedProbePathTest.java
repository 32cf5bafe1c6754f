package org.contssl.steps.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.contssl.lists.imports.FashionMnist;
import org.contssl.lists.imports.GrayImages;
import org.contssl.model.probe.FeatureMatrix;
import org.contssl.model.probe.GemmKnn;
import org.contssl.model.probe.GemmLinearProbe;
import org.contssl.model.probe.KnnClassifier;
import org.contssl.model.probe.LinearProbe;
import org.contssl.model.probe.MappedFeatureFile;
import org.contssl.model.probe.ProbeSettings;
import org.contssl.model.probe.TopKAccuracy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe step's memory-mapped path ({@code lincls.mapped_above_mb}) against its exact in-heap path, on real
 * Fashion-MNIST raw pixels (the raw-pixel floor's features): the GEMM linear probe and the GEMM kNN must give the heap
 * probes' accuracies within a fraction of a point (float32 GEMM sums instead of the heap kernels' double sums, so not
 * bit-identical), and the mapped probes must run in a JVM whose heap is far smaller than the feature matrix.
 */
class MappedProbePathTest {

    @TempDir
    Path dir;

    private static GrayImages split(String name) {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), FashionMnist.installHint(FashionMnist.DEFAULT_DIR));
        return FashionMnist.load(FashionMnist.DEFAULT_DIR, name);
    }

    /** Rows {@code [0, rows)} of {@code images} as raw pixels in [0, 1]. */
    private static FeatureMatrix pixels(GrayImages images, int rows) {
        int d = images.imageBytes();
        float[] v = new float[rows * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (images.pixels()[i] & 0xff) / 255f;
        }
        return new FeatureMatrix(v, rows, d, java.util.Arrays.copyOf(images.labels(), rows), 10);
    }

    /** Streams {@code rows} images to a mapped feature file, one row at a time, as the probe step does. */
    private static Path writeMapped(GrayImages images, int rows, Path file) throws IOException {
        int d = images.imageBytes();
        float[] row = new float[d];
        try (MappedFeatureFile.Writer w = MappedFeatureFile.create(file, rows, d, 10)) {
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < d; k++) {
                    row[k] = (images.pixels()[r * d + k] & 0xff) / 255f;
                }
                w.append(row, 0, images.labels()[r]);
            }
            w.commit();
        }
        return file;
    }

    @Test
    void mappedLinearProbeAndKnnAgreeWithTheHeapPathOnFashionMnist() throws Exception {
        GrayImages train = split(FashionMnist.TRAIN);
        GrayImages test = split(FashionMnist.TEST);
        int nTrain = 6_000, nTest = 2_000;
        // the cached recipe's lr with batch 1,024 and 20 epochs: 120 steps keep the test short (on a loaded machine a
        // small GEMM step costs tens of ms in libtorch's thread barriers) and still train far above chance
        ProbeSettings s = ProbeSettings.defaults().withLr(ProbeRecipe.CACHED_LR).withBatchSize(1024).withEpochs(20)
                .withSeed(5);
        FeatureMatrix heapTrain = pixels(train, nTrain), heapTest = pixels(test, nTest);
        TopKAccuracy heapLinear = new LinearProbe(s).fitAndEvaluate(heapTrain, heapTest);
        TopKAccuracy heapKnn = new KnnClassifier(20, KnnClassifier.DEFAULT_TEMPERATURE, 2).evaluate(heapTrain, heapTest);
        try (MappedFeatureFile tr = MappedFeatureFile.open(writeMapped(train, nTrain, dir.resolve("tr.feat")), true);
             MappedFeatureFile te = MappedFeatureFile.open(writeMapped(test, nTest, dir.resolve("te.feat")), true)) {
            TopKAccuracy linear = GemmLinearProbe.evaluate(new GemmLinearProbe(s).train(tr), te);
            TopKAccuracy knn = new GemmKnn(20, KnnClassifier.DEFAULT_TEMPERATURE).evaluate(tr, te);
            System.out.printf("heap linear %.2f/%.2f knn %.2f/%.2f; mapped linear %.2f/%.2f knn %.2f/%.2f%n",
                    heapLinear.top1(), heapLinear.top5(), heapKnn.top1(), heapKnn.top5(), linear.top1(), linear.top5(),
                    knn.top1(), knn.top5());
            // a real probe, not a degenerate one (chance is 10 %)
            assertThat(heapLinear.top1()).isGreaterThan(60.0);
            assertThat(linear.top1()).isCloseTo(heapLinear.top1(), within(0.5));
            assertThat(linear.top5()).isCloseTo(heapLinear.top5(), within(0.5));
            assertThat(knn.top1()).isCloseTo(heapKnn.top1(), within(0.2));
            assertThat(knn.top5()).isCloseTo(heapKnn.top5(), within(0.2));
        }
    }

    @Test
    void mappedProbesTrainAllOfFashionMnistInAHeapSmallerThanItsFeatures() throws Exception {
        GrayImages train = split(FashionMnist.TRAIN);
        GrayImages test = split(FashionMnist.TEST);
        Path tr = writeMapped(train, train.count(), dir.resolve("train.feat"));
        Path te = writeMapped(test, 1_000, dir.resolve("test.feat"));
        long featureMb = Files.size(tr) >> 20; // 60,000 x 784 floats: 179 MB
        int heapMb = 48;
        assertThat(featureMb).isGreaterThan(3L * heapMb);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMb + "m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                MappedProbeMain.class.getName(), tr.toString(), te.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // one epoch over all 60k rows in a 48 MB heap, and a probe that learnt something
        String[] f = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow().split(" ");
        assertThat(Long.parseLong(f[1])).isEqualTo(train.count());
        assertThat(Double.parseDouble(f[2])).isGreaterThan(60.0);
        assertThat(Double.parseDouble(f[3])).isGreaterThan(60.0);
    }

    /** The child JVM of the bounded-heap test: one epoch of the GEMM probe and the GEMM kNN on the mapped files. */
    public static final class MappedProbeMain {
        public static void main(String[] args) throws Exception {
            try (MappedFeatureFile tr = MappedFeatureFile.open(Path.of(args[0]), true);
                 MappedFeatureFile te = MappedFeatureFile.open(Path.of(args[1]), true)) {
                GemmLinearProbe probe = new GemmLinearProbe(ProbeSettings.defaults().withEpochs(1).withLr(12.0)
                        .withBatchSize(256));
                TopKAccuracy linear = GemmLinearProbe.evaluate(probe.train(tr), te);
                TopKAccuracy knn = new GemmKnn(20, KnnClassifier.DEFAULT_TEMPERATURE).evaluate(tr, te);
                System.out.println("RESULT " + probe.stats().rows() + " " + linear.top1() + " " + knn.top1());
            }
        }
    }
}
