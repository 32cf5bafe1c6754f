package org.contssl.model.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

    /** Classes on distinct random directions with noise well below their separation: linearly separable. */
    static FeatureMatrix separable(int n, int d, int nc, double noise, long seed) {
        Random dirs = new Random(7);
        float[][] mu = new float[nc][d];
        for (float[] m : mu) for (int k = 0; k < d; k++) m[k] = (float) dirs.nextGaussian();
        Random r = new Random(seed);
        float[] v = new float[n * d];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = r.nextInt(nc);
            for (int k = 0; k < d; k++) v[i * d + k] = (float) (mu[l[i]][k] + noise * r.nextGaussian());
        }
        return new FeatureMatrix(v, n, d, l, nc);
    }

    @Test
    void reachesAboutHundredPercentOnSeparableFeatures() {
        FeatureMatrix train = separable(3000, 48, 10, 0.3, 1);
        FeatureMatrix test = separable(1000, 48, 10, 0.3, 2);
        LinearProbe probe = new LinearProbe(ProbeSettings.defaults());
        TopKAccuracy acc = probe.fitAndEvaluate(train, test);
        assertThat(acc.top1()).isGreaterThanOrEqualTo(99.5);
        assertThat(acc.top5()).isEqualTo(100.0);
        assertThat(acc.total()).isEqualTo(1000);
        // the loss must actually fall from its chance value log(10) ~ 2.30
        assertThat(probe.epochLosses()).hasSize(ProbeSettings.DEFAULT_EPOCHS);
        assertThat(probe.epochLosses().get(probe.epochLosses().size() - 1)).isLessThan(0.5 * probe.epochLosses().get(0));
    }

    @Test
    void isAtChanceWhenLabelsCarryNoInformation() {
        // random labels: a probe that memorised the test labels or leaked them would score far above 10 %
        FeatureMatrix train = separable(2000, 16, 10, 0.3, 3);
        Random r = new Random(9);
        int[] noise = new int[1000];
        for (int i = 0; i < noise.length; i++) noise[i] = r.nextInt(10);
        FeatureMatrix test = separable(1000, 16, 10, 0.3, 4);
        FeatureMatrix shuffled = new FeatureMatrix(test.values(), test.rows(), test.dim(), noise, 10);
        TopKAccuracy acc = new LinearProbe(ProbeSettings.defaults().withEpochs(5)).fitAndEvaluate(train, shuffled);
        assertThat(acc.top1()).isBetween(5.0, 16.0);
    }

    @Test
    void sameSeedSameHeadOtherSeedOtherHead() {
        FeatureMatrix train = separable(500, 12, 4, 1.0, 5);
        ProbeSettings s = ProbeSettings.defaults().withEpochs(3);
        float[] a = new LinearProbe(s).train(train).weightCopy();
        float[] b = new LinearProbe(s).train(train).weightCopy();
        float[] c = new LinearProbe(s.withSeed(1)).train(train).weightCopy();
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHot() {
        double[] z = {0, 0, 0, 0};
        double loss = LinearProbe.softmaxCrossEntropyGrad(z, 2);
        assertThat(loss).isCloseTo(Math.log(4), within(1e-12));
        assertThat(z).containsExactly(new double[] {0.25, 0.25, -0.75, 0.25}, within(1e-12));
        // finite-difference check on a non-trivial logit vector
        double[] base = {1.3, -0.2, 0.7};
        double[] g = base.clone();
        LinearProbe.softmaxCrossEntropyGrad(g, 0);
        for (int c = 0; c < 3; c++) {
            double[] p = base.clone(), m = base.clone();
            p[c] += 1e-6;
            m[c] -= 1e-6;
            double fd = (LinearProbe.softmaxCrossEntropyGrad(p, 0) - LinearProbe.softmaxCrossEntropyGrad(m, 0)) / 2e-6;
            assertThat(g[c]).isCloseTo(fd, within(1e-6));
        }
    }

    @Test
    void shuffleIsAPermutationThatDependsOnSeedAndEpoch() {
        int[] a = new int[100], b = new int[100], c = new int[100];
        LinearProbe.shuffle(a, 3, 0);
        LinearProbe.shuffle(b, 3, 0);
        LinearProbe.shuffle(c, 3, 1);
        assertThat(a).containsExactly(b);
        assertThat(c).isNotEqualTo(a);
        assertThat(java.util.Arrays.stream(a).sorted().toArray()).containsExactly(java.util.stream.IntStream.range(0, 100).toArray());
    }

    @Test
    void rejectsMismatchedDimensionsWithOneLine() {
        FeatureMatrix train = separable(100, 8, 3, 0.5, 1);
        FeatureMatrix test = separable(10, 9, 3, 0.5, 1);
        LinearClassifier head = new LinearProbe(ProbeSettings.defaults().withEpochs(1)).train(train);
        assertThatThrownBy(() -> LinearProbe.evaluate(head, test))
                .hasMessageContaining("dim 9").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> new FeatureMatrix(new float[] {1f, Float.NaN}, 1, 2, new int[] {0}, 2))
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> new FeatureMatrix(new float[] {1f, 2f}, 1, 2, new int[] {5}, 2))
                .hasMessageContaining("label 5");
        assertThatThrownBy(() -> ProbeSettings.defaults().withLr(-1)).hasMessageContaining("lincls lr");
    }
}
