package org.contssl.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.assertj.core.data.Offset;
import org.contssl.model.EngineManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pins down the batch-norm argument order and momentum convention of the JNI call against the formulas. */
class OpsTest {
    @RegisterExtension
    static final EngineManager engine = new EngineManager();

    @Test
    void evalBatchNormUsesRunningStatisticsThenAffine() {
        try (NDManager m = engine.manager().newSubManager()) {
            // x: (N=2, C=2)
            NDArray x = m.create(new float[] {1f, 10f, 3f, 20f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray mean = m.create(new float[] {2f, 5f});
            NDArray var = m.create(new float[] {4f, 25f});
            NDArray gamma = m.create(new float[] {3f, -1f});
            NDArray beta = m.create(new float[] {0.5f, 7f});
            float[] y = Ops.batchNorm(x, mean, var, gamma, beta, false).toFloatArray();
            double s0 = Math.sqrt(4 + 1e-5);
            double s1 = Math.sqrt(25 + 1e-5);
            float[] expected = {
                (float) ((1 - 2) / s0 * 3 + 0.5), (float) ((10 - 5) / s1 * -1 + 7),
                (float) ((3 - 2) / s0 * 3 + 0.5), (float) ((20 - 5) / s1 * -1 + 7)
            };
            assertThat(y).containsExactly(expected, Offset.offset(1e-5f));
            // eval mode leaves the running statistics alone
            assertThat(mean.toFloatArray()).containsExactly(2f, 5f);
        }
    }

    @Test
    void trainBatchNormUpdatesRunningStatisticsWithTorchMomentum() {
        try (NDManager m = engine.manager().newSubManager()) {
            NDArray x = m.create(new float[] {1f, 10f, 3f, 20f, 5f, 30f}, new ai.djl.ndarray.types.Shape(3, 2));
            NDArray mean = m.create(new float[] {0f, 0f});
            NDArray var = m.create(new float[] {1f, 1f});
            NDArray gamma = m.create(new float[] {1f, 1f});
            NDArray beta = m.create(new float[] {0f, 0f});
            float[] y = Ops.batchNorm(x, mean, var, gamma, beta, true).toFloatArray();
            // channel 0: batch mean 3, biased var 8/3, unbiased var 4
            assertThat(mean.toFloatArray()[0]).isCloseTo(0.9f * 0 + 0.1f * 3, Offset.offset(1e-6f));
            assertThat(var.toFloatArray()[0]).isCloseTo(0.9f * 1 + 0.1f * 4, Offset.offset(1e-6f));
            assertThat(mean.toFloatArray()[1]).isCloseTo(2f, Offset.offset(1e-5f));
            assertThat(y[0]).isCloseTo((float) ((1 - 3) / Math.sqrt(8.0 / 3 + 1e-5)), Offset.offset(1e-5f));
        }
    }
}
