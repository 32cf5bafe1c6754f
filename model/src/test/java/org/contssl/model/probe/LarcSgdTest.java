package org.contssl.model.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LarcSgdTest {
    private final LarcSgd opt = new LarcSgd(0.9, 0.001, 0.0, 1e-8);

    @Test
    void twoStepsMatchTheHandComputedExample() {
        // w = (3,4): ||w|| = 5; g = (0.6,0.8): ||g|| = 1 -> scale = 0.001*5/(1+1e-8) ~= 0.005, g' = (0.003, 0.004)
        float[] w = {3f, 4f};
        float[] v = new float[2];
        opt.step(w, new float[] {0.6f, 0.8f}, v, true, 2.0);
        // first step: v = g' ; w = w - 2*v = (2.994, 3.992)
        assertThat(v[0]).isCloseTo(0.003f, within(1e-7f));
        assertThat(v[1]).isCloseTo(0.004f, within(1e-7f));
        assertThat(w[0]).isCloseTo(2.994f, within(1e-6f));
        assertThat(w[1]).isCloseTo(3.992f, within(1e-6f));
        // second step: ||w|| = sqrt(2.994^2 + 3.992^2) = 4.99 exactly; g = (0,2): scale = 0.001*4.99/2 = 0.002495
        // g' = (0, 0.00499); v = 0.9*(0.003,0.004) + g' = (0.0027, 0.00859); lr 1 -> w = (2.9913, 3.98341)
        opt.step(w, new float[] {0f, 2f}, v, false, 1.0);
        assertThat(v[0]).isCloseTo(0.0027f, within(1e-7f));
        assertThat(v[1]).isCloseTo(0.00859f, within(1e-7f));
        assertThat(w[0]).isCloseTo(2.9913f, within(1e-6f));
        assertThat(w[1]).isCloseTo(3.98341f, within(1e-6f));
    }

    @Test
    void zeroWeightsTakeAnUnscaledStep() {
        // the probe's bias starts at 0: LARC leaves its first gradient as is
        float[] b = {0f, 0f, 0f};
        float[] v = new float[3];
        opt.step(b, new float[] {0.5f, -0.25f, 0f}, v, true, 3.0);
        assertThat(b).containsExactly(-1.5f, 0.75f, 0f);
        assertThat(opt.adaptiveScale(new float[] {0f}, new float[] {1f})).isEqualTo(1.0);
        assertThat(opt.adaptiveScale(new float[] {1f}, new float[] {0f})).isEqualTo(1.0);
    }

    @Test
    void weightDecayEntersGradientAndDenominator() {
        LarcSgd wd = new LarcSgd(0.9, 0.001, 0.1, 1e-8);
        // scale = 0.001*5/(1 + 0.1*5 + 1e-8) = 1/300; (g + 0.1 w) = (0.9, 1.2) -> g' = (0.003, 0.004)
        float[] w = {3f, 4f};
        float[] v = new float[2];
        wd.step(w, new float[] {0.6f, 0.8f}, v, true, 1.0);
        assertThat(v[0]).isCloseTo(0.003f, within(1e-7f));
        assertThat(v[1]).isCloseTo(0.004f, within(1e-7f));
        assertThat(w[0]).isCloseTo(2.997f, within(1e-6f));
    }

    @Test
    void smallProbeSetsGetEnoughSteps() {
        assertThat(ProbeSettings.defaultsFor(10_000).epochs()).isEqualTo(ProbeSettings.DEFAULT_EPOCHS);
        assertThat(ProbeSettings.defaultsFor(60_000).epochs()).isEqualTo(ProbeSettings.DEFAULT_EPOCHS);
        // 1,000 images = 16 batches of 64 per epoch -> 188 epochs for 3,000 steps
        assertThat(ProbeSettings.defaultsFor(1_000).epochs()).isEqualTo(188);
        assertThat(ProbeSettings.defaultsFor(8_000).epochs()).isEqualTo(24);
    }

    @Test
    void cosineLearningRateIsConstantPerEpoch() {
        ProbeSettings s = ProbeSettings.defaults().withEpochs(4).withLr(2.0);
        assertThat(s.lrForEpoch(0)).isEqualTo(2.0);
        assertThat(s.lrForEpoch(1)).isCloseTo(2.0 * 0.5 * (1 + Math.cos(Math.PI / 4)), within(1e-12));
        assertThat(s.lrForEpoch(2)).isCloseTo(1.0, within(1e-12));
        assertThat(s.lrForEpoch(3)).isCloseTo(2.0 * 0.5 * (1 + Math.cos(3 * Math.PI / 4)), within(1e-12));
    }
}
