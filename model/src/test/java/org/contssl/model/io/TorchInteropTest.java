package org.contssl.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.contssl.model.ModelState;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.TestEngine;
import org.contssl.model.features.FeatureExtractor;
import org.contssl.model.optim.LrSchedule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips with the real PyTorch (Debian's python3-torch and python3-torchvision at /usr/bin/python3, driven by
 * src/test/python/torch_interop.py): the reference SimSiam built by torch loads contssl's exports and gives the
 * same outputs, and contssl loads torch.save checkpoints of that model and gives the same outputs. Eval mode, so
 * batch norm uses the running statistics; the tolerance is 1e-5 of the output scale. Skipped without that Python.
 */
class TorchInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/torch_interop.py");
    private static final String INSTALL = "python3-torch is not installed: apt-get install python3-torch "
            + "python3-torchvision";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 3;
    private static final double TOL = 1e-5;

    /** One model configuration: conv4 and both ResNet-18 stems in full, ResNet-50 for the outputs only. */
    private record Case(String name, SimSiamSpec spec, boolean full, String dropped) {}

    private static final List<Case> CASES = List.of(
            new Case("conv4", SimSiamSpec.of("conv4", 1, 16, false), true,
                    "module.encoder.features.5.running_mean"),
            new Case("r18cifar", SimSiamSpec.of("resnet18", 3, 16, true), true,
                    "module.encoder.layer2.0.downsample.1.weight"),
            new Case("r18", SimSiamSpec.of("resnet18", 3, 32, false), false, ""),
            new Case("r50cifar", SimSiamSpec.of("resnet50", 3, 8, true), false, ""));

    @TempDir
    static Path dir;

    private static boolean available;

    @BeforeAll
    static void checkPython() throws Exception {
        TestEngine.singleThread();
        if (Files.isExecutable(PYTHON)) {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, torchvision")
                    .redirectErrorStream(true).start();
            available = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
    }

    @Test
    void torchSaveCheckpointsGiveTheSameOutputsInContssl() throws Exception {
        assumeTrue(available, INSTALL);
        List<Path> dirs = new ArrayList<>();
        for (Case c : CASES) {
            Path d = Files.createDirectories(dir.resolve("in-" + c.name()));
            writeJob(d, c, Map.of("seed", 7, "full", c.full(), "drop", c.dropped()));
            dirs.add(d);
        }
        python("make", dirs);
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            Path d = dirs.get(i);
            float[] images = InteropFixtures.readFloats(d.resolve("images.bin"));
            float[][] torch = InteropFixtures.torchOutputs(d.resolve("torch.out.bin"), c.spec(), N);
            List<String> files = c.full() ? List.of("ddp.pth", "plain.pth", "legacy.pth") : List.of("ddp.pth");
            for (String f : files) {
                ModelState state = PretrainedWeights.read(d.resolve(f), c.spec());
                assertSame(c.name() + "/" + f, InteropFixtures.outputs(state, images, N), torch);
            }
            if (!c.full()) {
                continue;
            }
            assertMappingMatchesTorchNames(c, d.resolve("keys.json"));
            ModelState state = PretrainedWeights.read(d.resolve("ddp.pth"), c.spec());
            // the probes' path: L2-normalised pooled features of the frozen backbone
            try (FeatureExtractor fx = FeatureExtractor.fromState(state, c.spec().insize(), "ddp.pth")) {
                float[][] feats = fx.extract(images, N);
                float[] flat = new float[N * c.spec().featureDim()];
                for (int r = 0; r < N; r++) {
                    System.arraycopy(feats[r], 0, flat, r * feats[r].length, feats[r].length);
                }
                assertThat(InteropFixtures.maxRelDiff(flat, normalizeRows(torch[0], N))).as(c.name() + " features")
                        .isLessThanOrEqualTo(TOL);
            }
            // model.pretrained: the trainer takes the weights and starts a fresh optimizer
            try (SimSiamTrainer t = SimSiamTrainer.create(c.spec(), OptimSpec.reference(0.05, LrSchedule.COS, 10),
                    99)) {
                t.loadPretrained(state, "ddp.pth");
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                t.writeParameters(out);
                ModelState loaded = ModelState.read(new java.io.ByteArrayInputStream(out.toByteArray()), "trainer");
                state.tensors().forEach((k, v) -> assertThat(loaded.tensors().get(k).data()).as(k).isEqualTo(v.data()));
            }
            CheckpointFilesTest.expectError(d.resolve("missing.pth"), c.spec(), "lacks tensor " + c.dropped());
            Path cut = d.resolve("cut-legacy.pth");
            byte[] legacy = Files.readAllBytes(d.resolve("legacy.pth"));
            Files.write(cut, Arrays.copyOf(legacy, legacy.length - 1000));
            CheckpointFilesTest.expectError(cut, c.spec(), "truncated");
        }
    }

    @Test
    void contsslExportsLoadIntoTheReferenceModel() throws Exception {
        assumeTrue(available, INSTALL);
        List<Path> dirs = new ArrayList<>();
        List<float[][]> ours = new ArrayList<>();
        for (Case c : CASES) {
            Path d = Files.createDirectories(dir.resolve("out-" + c.name()));
            ModelState state = InteropFixtures.randomState(c.spec(), 17, 3);
            InteropFixtures.writeSafetensors(d.resolve("model.safetensors"), ReferenceExport.tensors(state, ""));
            InteropFixtures.writeTorch(d.resolve("model.pth"),
                    ReferenceExport.tensors(state, ReferenceNames.DDP_PREFIX), Map.of("arch", c.spec().backbone()));
            writeJob(d, c, Map.of("files", List.of("model.safetensors", "model.pth")));
            ours.add(InteropFixtures.outputs(state, InteropFixtures.readFloats(d.resolve("images.bin")), N));
            dirs.add(d);
        }
        python("load", dirs);
        for (int i = 0; i < CASES.size(); i++) {
            for (String f : List.of("model.safetensors", "model.pth")) {
                float[][] torch = InteropFixtures.torchOutputs(dirs.get(i).resolve(f + ".out.bin"),
                        CASES.get(i).spec(), N);
                assertSame(CASES.get(i).name() + "/" + f, ours.get(i), torch);
            }
        }
    }

    /** Every reference name ReferenceNames produces (plus BN counters) is one torch has, with the same shape. */
    private static void assertMappingMatchesTorchNames(Case c, Path keysJson) throws IOException {
        Map<String, List<Long>> torch = new TreeMap<>();
        for (JsonNode kv : JSON.readTree(keysJson.toFile())) {
            List<Long> shape = new ArrayList<>();
            kv.get(1).forEach(n -> shape.add(n.asLong()));
            torch.put(kv.get(0).asText(), shape);
        }
        Map<String, List<Long>> ours = new TreeMap<>();
        for (PretrainedWeights.Expected e : PretrainedWeights.layout(c.spec())) {
            String ref = ReferenceNames.toReference(e.name(), c.spec().backbone());
            ours.put(ref, Arrays.stream(e.shape()).boxed().toList());
            if (ref.endsWith(".running_mean")) {
                ours.put(ReferenceNames.batchCounterOf(ref), List.of());
            }
        }
        assertThat(ours).as(c.name() + " names and shapes").isEqualTo(torch);
    }

    private static void assertSame(String what, float[][] ours, float[][] torch) {
        String[] parts = {"h", "z", "p"};
        for (int k = 0; k < 3; k++) {
            double diff = InteropFixtures.maxRelDiff(ours[k], torch[k]);
            System.out.printf("%s %s: max relative difference %.2e%n", what, parts[k], diff);
            assertThat(diff).as(what + " " + parts[k]).isLessThanOrEqualTo(TOL);
            // a degenerate output (all equal) would make the comparison meaningless
            float[] t = torch[k];
            double spread = 0;
            for (float v : t) {
                spread = Math.max(spread, Math.abs(v - t[0]));
            }
            assertThat(spread).as(what + " " + parts[k] + " varies").isGreaterThan(1e-2);
        }
    }

    private static float[] normalizeRows(float[] h, int n) {
        int d = h.length / n;
        float[] out = new float[h.length];
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) h[r * d + j] * h[r * d + j];
            }
            double inv = 1.0 / Math.max(Math.sqrt(s), 1e-12);
            for (int j = 0; j < d; j++) {
                out[r * d + j] = (float) (h[r * d + j] * inv);
            }
        }
        return out;
    }

    private static void writeJob(Path d, Case c, Map<String, Object> extra) throws IOException {
        SimSiamSpec s = c.spec();
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("arch", s.backbone());
        job.put("channels", s.inChannels());
        job.put("cifar_stem", s.cifarStem());
        job.put("dim", s.dim());
        job.put("pred_dim", s.predDim());
        job.put("insize", s.insize());
        job.put("n", N);
        job.putAll(extra);
        JSON.writeValue(d.resolve("job.json").toFile(), job);
        InteropFixtures.writeFloats(d.resolve("images.bin"),
                InteropFixtures.gaussian(N * s.imageFloats(), c.name().hashCode()));
    }

    private static void python(String mode, List<Path> dirs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toAbsolutePath().toString(), mode));
        dirs.forEach(d -> cmd.add(d.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("torch_interop.py %s failed:%n%s", mode, out).isZero();
    }
}
