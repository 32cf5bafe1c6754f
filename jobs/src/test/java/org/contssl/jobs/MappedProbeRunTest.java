package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.contssl.model.probe.FeatureFile;
import org.contssl.model.probe.FeatureMatrix;
import org.contssl.model.probe.KnnClassifier;
import org.contssl.model.probe.LinearProbe;
import org.contssl.model.probe.ProbeSettings;
import org.contssl.model.probe.TopKAccuracy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lincls.mapped_above_mb=0} forces the probe step's memory-mapped path on a small real run (the built-in
 * Fashion-MNIST probe): features go to {@code features/<encoder>@<set>.{train,test}.feat} (no heap cache), and the
 * GEMM linear probe and GEMM kNN give, on those very features, the exact heap probes' accuracies within a fraction of
 * a point (float32 GEMM sums instead of the heap kernels' double sums: not bit-identical).
 */
class MappedProbeRunTest {

    private static final List<String> SMALL = List.of("data.num_files=512", "data.probe_train_size=2000",
            "data.probe_test_size=2000", "data.ood_probe=false", "model.buff_siz=128", "optim.batch_size=32",
            "model.num_updates=2", "eval.progress=1.0", "environment.threads=1");

    @Test
    void forcedMappedPathMatchesTheHeapProbesOnTheSameFeatures(@TempDir Path w) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install -y dataset-fashion-mnist)");
        List<String> args = new ArrayList<>(List.of("run", "--workdir", w.toString(), "lincls.mapped_above_mb=0",
                // 4 x 30 = 120 steps a probe: on a loaded machine a small GEMM step costs tens of ms (libtorch barriers)
                "lincls.imnet.optim.batch_size=500", "lincls.imnet.optim.epochs=30"));
        args.addAll(SMALL);
        assertThat(Main.execute(args.toArray(String[]::new))).isEqualTo(ExitCodes.OK);

        JsonNode results = new ObjectMapper().readTree(w.resolve("reports/results.json").toFile());
        JsonNode protocol = results.get("probe_protocols").get("fashion-mnist");
        assertThat(protocol.get("mode").asText()).startsWith("cached").contains("memory-mapped");
        try (var listing = Files.list(w.resolve("features"))) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".features"));
        }
        ProbeSettings settings = ProbeSettings.defaults().withEpochs(protocol.get("epochs").asInt())
                .withLr(protocol.get("lr").asDouble()).withBatchSize(protocol.get("batch_size").asInt())
                .withSeed(protocol.get("seed").asLong());
        int checked = 0;
        for (JsonNode p : results.get("probes")) {
            if (!"linear".equals(p.get("method").asText())) {
                continue;
            }
            String encoder = p.hasNonNull("checkpoint") ? p.get("checkpoint").asText() : p.get("encoder").asText();
            Path features = w.resolve("features").resolve(encoder + "@fashion-mnist");
            // the mapped files have FeatureFile's layout: the heap reader takes them as they are
            FeatureMatrix train = FeatureFile.read(Path.of(features + ".train.feat"));
            FeatureMatrix test = FeatureFile.read(Path.of(features + ".test.feat"));
            TopKAccuracy heapLinear = new LinearProbe(settings).fitAndEvaluate(train, test);
            TopKAccuracy heapKnn = new KnnClassifier(protocol.get("knn_k").asInt(), KnnClassifier.DEFAULT_TEMPERATURE, 2)
                    .evaluate(train, test);
            assertThat(p.get("top1").asDouble()).as("linear top-1 of %s", encoder)
                    .isCloseTo(heapLinear.top1(), within(0.5));
            assertThat(knnTop1(results, p)).as("kNN top-1 of %s", encoder).isCloseTo(heapKnn.top1(), within(0.2));
            assertThat(heapLinear.top1()).as("a probe far above chance (10 points)").isGreaterThan(30.0);
            checked++;
        }
        assertThat(checked).as("checkpoint_final, random-init, raw-pixels").isEqualTo(3);
    }

    private static double knnTop1(JsonNode results, JsonNode linear) {
        for (JsonNode p : results.get("probes")) {
            if ("knn".equals(p.get("method").asText()) && p.get("encoder").equals(linear.get("encoder"))
                    && p.get("dataset").equals(linear.get("dataset")) && p.get("checkpoint").equals(linear.get("checkpoint"))) {
                return p.get("top1").asDouble();
            }
        }
        throw new AssertionError("no kNN record beside " + linear);
    }
}
