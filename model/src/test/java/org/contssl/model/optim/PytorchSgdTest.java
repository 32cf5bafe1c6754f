package org.contssl.model.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import org.contssl.model.EngineManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PytorchSgdTest {
    @RegisterExtension
    static final EngineManager engine = new EngineManager();

    /** Two steps by hand, μ = 0.9, λ = 0.1, lr 0.5 then 0.25, w0 = [1, -2], g1 = [0.5, 1], g2 = [-1, 0.25]. */
    @Test
    void matchesTheTorchRuleComputedByHand() {
        float mu = 0.9f;
        float wd = 0.1f;
        try (NDManager m = engine.manager().newSubManager(); PytorchSgd sgd = new PytorchSgd(m, mu, wd)) {
            NDArray w = m.create(new float[] {1f, -2f});
            sgd.update("w", w, m.create(new float[] {0.5f, 1f}), 0.5f);
            // d1 = g1 + λw0 = [0.6, 0.8]; v1 = d1; w1 = w0 - 0.5 v1 = [0.7, -2.4]
            assertThat(w.toFloatArray()).containsExactly(new float[] {0.7f, -2.4f}, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(sgd.buffer("w")).containsExactly(new float[] {0.6f, 0.8f}, org.assertj.core.data.Offset.offset(1e-6f));
            sgd.update("w", w, m.create(new float[] {-1f, 0.25f}), 0.25f);
            // d2 = g2 + λw1 = [-0.93, 0.01]; v2 = 0.9 v1 + d2 = [-0.39, 0.73]; w2 = w1 - 0.25 v2 = [0.7975, -2.5825]
            float[] v2 = sgd.buffer("w");
            assertThat(v2[0]).isCloseTo(-0.39f, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(v2[1]).isCloseTo(0.73f, org.assertj.core.data.Offset.offset(1e-6f));
            float[] w2 = w.toFloatArray();
            assertThat(w2[0]).isCloseTo(0.7975f, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(w2[1]).isCloseTo(-2.5825f, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void djlBuiltInSgdDiffersOnceTheLrChanges() {
        float mu = 0.9f;
        float wd = 0.1f;
        float[] lrs = {0.5f, 0.25f};
        try (NDManager m = engine.manager().newSubManager(); PytorchSgd sgd = new PytorchSgd(m, mu, wd)) {
            NDArray ours = m.create(new float[] {1f, -2f});
            NDArray theirs = m.create(new float[] {1f, -2f});
            ParameterTracker tracker = new ParameterTracker() {
                @Override
                public float getNewValue(String parameterId, int numUpdate) {
                    return lrs[numUpdate - 1];
                }
            };
            Optimizer djl = Optimizer.sgd().setLearningRateTracker(tracker).optMomentum(mu).optWeightDecays(wd)
                    .optClipGrad(-1f).build();
            float[][] grads = {{0.5f, 1f}, {-1f, 0.25f}};
            for (int i = 0; i < 2; i++) {
                sgd.update("w", ours, m.create(grads[i]), lrs[i]);
                djl.update("w", theirs, m.create(grads[i]));
                if (i == 0) {
                    // first step: v = lr·d vs v = d with w -= lr·v: identical weights
                    assertThat(theirs.toFloatArray()).containsExactly(ours.toFloatArray());
                }
            }
            // DJL: v2 = μ·lr1·d1 + lr2·d2 = [0.0375, 0.3625], so w2 = [0.6625, -2.7625] instead of [0.7975, -2.5825]
            float[] t = theirs.toFloatArray();
            assertThat(t[0]).isCloseTo(0.6625f, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(t[1]).isCloseTo(-2.7625f, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(ours.toFloatArray()[0]).isCloseTo(0.7975f, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void buffersRoundTripExactly() {
        try (NDManager m = engine.manager().newSubManager(); PytorchSgd sgd = new PytorchSgd(m, 0.9, 1e-4)) {
            NDArray w = m.create(new float[] {0.1f, 0.2f, 0.3f});
            sgd.update("w", w, m.create(new float[] {1e-3f, -7e-4f, 3f}), 0.05f);
            float[] buf = sgd.buffer("w");
            sgd.reset();
            assertThat(sgd.buffer("w")).isNull();
            sgd.setBuffer("w", buf, new long[] {3});
            assertThat(sgd.buffer("w")).containsExactly(buf);
        }
    }
}
