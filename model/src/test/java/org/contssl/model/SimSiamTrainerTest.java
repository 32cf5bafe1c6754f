package org.contssl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.contssl.model.nn.Kind;
import org.contssl.model.optim.LrSchedule;
import org.junit.jupiter.api.Test;

class SimSiamTrainerTest {
    @org.junit.jupiter.api.BeforeAll
    static void engine() {
        TestEngine.singleThread();
    }

    static final SimSiamSpec CONV4 = SimSiamSpec.of("conv4", 1, 16, true);
    static final int B = 6;

    static SimSiamTrainer conv4(long seed, long total, TrainerOptions options) {
        return SimSiamTrainer.create(CONV4, OptimSpec.reference(0.05, LrSchedule.COS, total), seed, options);
    }

    static byte[] state(SimSiamTrainer t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.saveState(out);
        return out.toByteArray();
    }

    static StepResult step(SimSiamTrainer t, long dataSeed) {
        SimSiamSpec s = t.spec();
        return t.step(TestViews.random(s, B, dataSeed), TestViews.random(s, B, dataSeed + 1000), B);
    }

    @Test
    void stepReturnsPerSampleStatisticsAndScheduledLrs() {
        try (SimSiamTrainer t = conv4(1, 3, TrainerOptions.fastest())) {
            StepResult r = null;
            for (int i = 1; i <= 3; i++) {
                r = step(t, i);
                assertThat(r.step()).isEqualTo(i);
                assertThat(r.lrPredictor()).isEqualTo(0.05);
                assertThat(r.lrEncoder()).isEqualTo(LrSchedule.COS.lr(0.05, i, 3));
            }
            assertThat(r.lrEncoder()).isEqualTo(0.0);
            assertThat(r.perSampleLoss()).hasSize(B);
            double mean = 0;
            for (float l : r.perSampleLoss()) {
                assertThat(l).isBetween(-1f, 1f);
                mean += l;
            }
            assertThat(r.loss()).isCloseTo((float) (mean / B), within(1e-6f));
            assertThat(r.viewSimilarity()).hasSize(B);
            assertThat(r.feature()).hasNumberOfRows(B);
            for (float[] f : r.feature()) {
                assertThat(f).hasSize(512);
                double n = 0;
                for (float v : f) {
                    n += v * v;
                }
                assertThat(n).isCloseTo(1.0, within(1e-5));
            }
            assertThat(r.zStd()).isGreaterThan(0.0).isLessThan(1.0);
            assertThatThrownBy(() -> step(t, 9))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("past optim total steps 3");
        }
    }

    @Test
    void lossDecreasesOnARepeatedBatch() {
        try (SimSiamTrainer t = conv4(3, 1000, TrainerOptions.fastest())) {
            float first = step(t, 5).loss();
            float last = 0;
            for (int i = 0; i < 8; i++) {
                last = step(t, 5).loss();
            }
            assertThat(last).isLessThan(first - 0.05f);
        }
    }

    @Test
    void frozenBiasStaysFrozenAndOutputBnHasNoAffine() throws IOException {
        try (SimSiamTrainer t = conv4(1, 100, TrainerOptions.fastest())) {
            ModelState before = t.snapshot(false);
            step(t, 1);
            step(t, 2);
            ModelState after = t.snapshot(true);
            ModelState.Tensor bias = after.tensors().get("encoder.1.6.bias");
            assertThat(bias.kind()).isEqualTo(Kind.FROZEN);
            assertThat(bias.data()).containsExactly(before.tensors().get("encoder.1.6.bias").data());
            assertThat(after.optimizer().momentum()).doesNotContainKey("encoder.1.6.bias");
            assertThat(after.tensors()).doesNotContainKeys("encoder.1.7.weight", "encoder.1.7.bias");
            // the BN running statistics moved, the trainable weights moved
            assertThat(after.tensors().get("encoder.1.7.running_mean").data())
                    .isNotEqualTo(before.tensors().get("encoder.1.7.running_mean").data());
            assertThat(after.tensors().get("predictor.3.bias").data())
                    .isNotEqualTo(before.tensors().get("predictor.3.bias").data());
        }
    }

    @Test
    void gradientsDoNotAccumulateAcrossSteps() {
        // LR 0: the parameters never move, and train-mode BN ignores running statistics, so each step must see the
        // very same gradients; accumulation would double them
        OptimSpec frozen = new OptimSpec(0.0, 0.9, 1e-4, LrSchedule.CONSTANT, 10, true);
        try (SimSiamTrainer t = SimSiamTrainer.create(CONV4, frozen, 1, TrainerOptions.fastest().withKeepGradients(true))) {
            step(t, 1);
            Map<String, float[]> g1 = t.lastGradients();
            step(t, 1);
            Map<String, float[]> g2 = t.lastGradients();
            assertThat(g1).hasSize(g2.size()).containsKey("encoder.0.0.weight");
            for (String k : g1.keySet()) {
                assertThat(g2.get(k)).as(k).containsExactly(g1.get(k));
            }
        }
    }

    @Test
    void sameSeedSameInputsGiveIdenticalBytes() throws IOException {
        try (SimSiamTrainer a = conv4(42, 100, TrainerOptions.fastest());
                SimSiamTrainer b = conv4(42, 100, TrainerOptions.fastest());
                SimSiamTrainer c = conv4(43, 100, TrainerOptions.fastest())) {
            assertThat(a.parametersSha256()).isEqualTo(b.parametersSha256()).isNotEqualTo(c.parametersSha256());
            for (int i = 0; i < 3; i++) {
                StepResult ra = step(a, i);
                StepResult rb = step(b, i);
                assertThat(ra.perSampleLoss()).containsExactly(rb.perSampleLoss());
            }
            assertThat(state(a)).isEqualTo(state(b));
            assertThat(a.parametersSha256()).isEqualTo(b.parametersSha256());
        }
    }

    @Test
    void twoThreadsAreDeterministicToo() {
        // large enough activations for libtorch's kernels to split work across both threads
        SimSiamSpec spec = SimSiamSpec.of("conv4", 1, 28, true);
        OptimSpec optim = OptimSpec.reference(0.05, LrSchedule.COS, 10);
        Engines.configure(2, 0);
        try (SimSiamTrainer a = SimSiamTrainer.create(spec, optim, 4);
                SimSiamTrainer b = SimSiamTrainer.create(spec, optim, 4)) {
            for (int i = 0; i < 2; i++) {
                float[] v1 = TestViews.random(spec, 32, i);
                float[] v2 = TestViews.random(spec, 32, i + 50);
                a.step(v1, v2, 32);
                b.step(v1, v2, 32);
            }
            assertThat(a.parametersSha256()).isEqualTo(b.parametersSha256());
        } finally {
            TestEngine.singleThread();
        }
    }

    @Test
    void anyCallerThreadGivesTheSameResult() throws Exception {
        // libtorch's grad mode is thread-local: steps must behave the same whichever thread calls them
        try (SimSiamTrainer here = conv4(8, 10, TrainerOptions.fastest());
                SimSiamTrainer elsewhere = conv4(8, 10, TrainerOptions.fastest())) {
            step(here, 1);
            step(here, 2);
            Thread t = new Thread(() -> {
                step(elsewhere, 1);
                step(elsewhere, 2);
            });
            t.start();
            t.join();
            assertThat(elsewhere.parametersSha256()).isEqualTo(here.parametersSha256());
            assertThat(elsewhere.stepsTaken()).isEqualTo(2);
        }
    }

    @Test
    void saveLoadIsAnExactRoundTrip() throws IOException {
        try (SimSiamTrainer a = conv4(1, 100, TrainerOptions.fastest());
                SimSiamTrainer b = conv4(2, 100, TrainerOptions.fastest())) {
            step(a, 1);
            step(a, 2);
            byte[] saved = state(a);
            b.loadState(new ByteArrayInputStream(saved));
            assertThat(b.stepsTaken()).isEqualTo(2);
            assertThat(state(b)).isEqualTo(saved);
            assertThat(b.parametersSha256()).isEqualTo(a.parametersSha256());
        }
    }

    @Test
    void resumedTrainingContinuesBitwiseIdentically() throws IOException {
        for (TrainerOptions o : new TrainerOptions[] {TrainerOptions.fused(), TrainerOptions.plain()}) {
            try (SimSiamTrainer straight = conv4(7, 6, o); SimSiamTrainer first = conv4(7, 6, o)) {
                for (int i = 1; i <= 6; i++) {
                    step(straight, i);
                }
                for (int i = 1; i <= 3; i++) {
                    step(first, i);
                }
                byte[] checkpoint = state(first);
                try (SimSiamTrainer resumed = conv4(99, 6, o)) {
                    resumed.loadState(new ByteArrayInputStream(checkpoint));
                    for (int i = 4; i <= 6; i++) {
                        step(resumed, i);
                    }
                    assertThat(state(resumed)).as(o.toString()).isEqualTo(state(straight));
                }
            }
        }
    }

    @Test
    void resnet18ResumesBitwiseIdentically() throws IOException {
        SimSiamSpec spec = SimSiamSpec.of("resnet18", 3, 8, true);
        OptimSpec optim = OptimSpec.reference(0.05, LrSchedule.COS, 3);
        try (SimSiamTrainer straight = SimSiamTrainer.create(spec, optim, 5);
                SimSiamTrainer first = SimSiamTrainer.create(spec, optim, 5)) {
            for (int i = 1; i <= 3; i++) {
                step(straight, i);
            }
            step(first, 1);
            byte[] checkpoint = state(first);
            try (SimSiamTrainer resumed = SimSiamTrainer.create(spec, optim, 6)) {
                resumed.loadState(new ByteArrayInputStream(checkpoint));
                step(resumed, 2);
                step(resumed, 3);
                assertThat(resumed.parametersSha256()).isEqualTo(straight.parametersSha256());
                assertThat(state(resumed)).isEqualTo(state(straight));
            }
        }
    }

    @Test
    void resnet50TrainsThroughTheStridedOneByOneConvolutions() {
        // libtorch 2.7.1's oneDNN dies with SIGFPE on the direct strided 1x1 backward of ResNet-50's 512->1024
        // downsample at 16 px (CIFAR stem, 32 px input); Conv2d routes it through a subsampled stride-1 conv
        SimSiamSpec spec = SimSiamSpec.of("resnet50", 3, 32, true);
        try (SimSiamTrainer t = SimSiamTrainer.create(spec, OptimSpec.reference(0.05, LrSchedule.COS, 10), 1)) {
            String before = t.parametersSha256();
            StepResult r = t.step(TestViews.random(spec, 4, 1), TestViews.random(spec, 4, 2), 4);
            assertThat(Float.isFinite(r.loss())).isTrue();
            assertThat(r.feature()[0]).hasSize(2048);
            assertThat(t.parametersSha256()).isNotEqualTo(before);
        }
    }

    @Test
    void executionOptionsDoNotChangeTheMathematics() {
        TrainerOptions[] variants = {TrainerOptions.plain(), TrainerOptions.fused()};
        float[][] losses = new float[variants.length][];
        ModelState[] states = new ModelState[variants.length];
        for (int v = 0; v < variants.length; v++) {
            try (SimSiamTrainer t = conv4(11, 100, variants[v])) {
                step(t, 1);
                losses[v] = step(t, 2).perSampleLoss();
                states[v] = t.snapshot(true);
            }
        }
        for (int v = 1; v < variants.length; v++) {
            for (int i = 0; i < B; i++) {
                assertThat(losses[v][i]).isCloseTo(losses[0][i], within(1e-5f));
            }
            for (Map.Entry<String, ModelState.Tensor> e : states[0].tensors().entrySet()) {
                float[] ref = e.getValue().data();
                float[] got = states[v].tensors().get(e.getKey()).data();
                // relative to the tensor's scale, with an absolute floor for tensors that are ~0 by construction
                // (the predictor's first BN sees inputs with batch mean 0, so its running mean is rounding noise)
                assertThat(maxAbsDiff(got, ref)).as(variants[v] + " " + e.getKey())
                        .isLessThanOrEqualTo(1e-4 * maxAbs(ref) + 1e-6);
            }
        }
    }

    @Test
    void loadPretrainedKeepsWeightsButStartsAFreshOptimizer() throws IOException {
        try (SimSiamTrainer a = conv4(1, 100, TrainerOptions.fastest());
                SimSiamTrainer b = conv4(2, 100, TrainerOptions.fastest())) {
            step(a, 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            a.saveState(out);
            b.loadPretrained(new ByteArrayInputStream(out.toByteArray()));
            assertThat(b.parametersSha256()).isEqualTo(a.parametersSha256());
            assertThat(b.stepsTaken()).isZero();
            assertThat(b.snapshot(true).optimizer().momentum()).isEmpty();
        }
    }

    @Test
    void rejectsWrongInputsAndForeignStatesWithOneLineMessages() throws IOException {
        try (SimSiamTrainer t = conv4(1, 100, TrainerOptions.fastest())) {
            assertThatThrownBy(() -> t.step(new float[10], new float[10], B))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1536 floats")
                    .hasMessageNotContaining("\n");
            SimSiamSpec other = SimSiamSpec.of("conv4", 3, 16, true);
            try (SimSiamTrainer o = SimSiamTrainer.create(other, t.optim(), 1)) {
                byte[] foreign = state(o);
                assertThatThrownBy(() -> t.loadState(new ByteArrayInputStream(foreign), "ckpt/x.state"))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("ckpt/x.state")
                        .hasMessageContaining("3 channels")
                        .hasMessageNotContaining("\n");
            }
            byte[] good = state(t);
            byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
            assertThatThrownBy(() -> t.loadState(new ByteArrayInputStream(truncated), "ckpt/y.state"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("ckpt/y.state")
                    .hasMessageContaining("truncated");
            assertThatThrownBy(() -> t.loadState(new ByteArrayInputStream(new byte[] {1, 2, 3}), "z.bin"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("z.bin");
        }
    }

    static double maxAbsDiff(float[] a, float[] ref) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - ref[i]));
        }
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
