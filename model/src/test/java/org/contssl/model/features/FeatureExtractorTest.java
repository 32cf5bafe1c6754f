package org.contssl.model.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.optim.LrSchedule;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {
    @org.junit.jupiter.api.BeforeAll
    static void engine() {
        org.contssl.model.TestEngine.singleThread();
    }

    static final SimSiamSpec SPEC = SimSiamSpec.of("conv4", 1, 16, true);

    static float[] images(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * SPEC.imageFloats()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void featuresAreUnitNormAndIndependentOfBatching() {
        try (FeatureExtractor fx = FeatureExtractor.randomInit(SPEC, 3)) {
            float[] x = images(5, 1);
            float[][] all = fx.extract(x, 5);
            assertThat(all).hasNumberOfRows(5);
            for (float[] f : all) {
                assertThat(f).hasSize(256);
                double n = 0;
                for (float v : f) {
                    n += v * v;
                }
                assertThat(n).isCloseTo(1.0, within(1e-5));
            }
            // eval-mode BN: a sample's feature does not depend on its batch mates
            float[][] single = fx.extract(java.util.Arrays.copyOfRange(x, 2 * 256, 3 * 256), 1);
            for (int j = 0; j < 256; j++) {
                assertThat(single[0][j]).isCloseTo(all[2][j], within(1e-5f));
            }
        }
    }

    @Test
    void savedStateGivesTheTrainedBackboneAndRandomInitMatchesTheTrainersStart() throws IOException {
        OptimSpec optim = OptimSpec.reference(0.05, LrSchedule.COS, 10);
        float[] x = images(4, 2);
        try (SimSiamTrainer t = SimSiamTrainer.create(SPEC, optim, 9);
                FeatureExtractor init = FeatureExtractor.randomInit(SPEC, 9)) {
            ByteArrayOutputStream before = new ByteArrayOutputStream();
            t.writeParameters(before);
            try (FeatureExtractor fromStart = FeatureExtractor.fromState(
                    new ByteArrayInputStream(before.toByteArray()), "start")) {
                assertThat(fromStart.extract(x, 4)[1]).containsExactly(init.extract(x, 4)[1]);
            }
            t.step(images(4, 3), images(4, 4), 4);
            ByteArrayOutputStream after = new ByteArrayOutputStream();
            t.saveState(after);
            try (FeatureExtractor trained = FeatureExtractor.fromState(
                    new ByteArrayInputStream(after.toByteArray()), "after")) {
                assertThat(trained.extract(x, 4)[1]).isNotEqualTo(init.extract(x, 4)[1]);
            }
        }
    }

    @Test
    void rejectsWrongSizes() {
        try (FeatureExtractor fx = FeatureExtractor.randomInit(SPEC, 3)) {
            assertThatThrownBy(() -> fx.extract(new float[100], 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("256 floats");
        }
    }
}
