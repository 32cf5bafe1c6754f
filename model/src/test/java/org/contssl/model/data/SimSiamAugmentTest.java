package org.contssl.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class SimSiamAugmentTest {

    private static final int DRAWS = 20_000;

    private final SimSiamAugment grey28 = new SimSiamAugment(AugmentConfig.simsiam(28, 1));

    @Test
    void sameSeedSameFloatsOtherSeedOtherFloats() {
        DecodedImage img = TestImages.pattern(28, 28, 1, 1);
        float[] a = new float[784];
        float[] b = new float[784];
        float[] c = new float[784];
        grey28.augment(img, 42, a, 0);
        grey28.augment(img, 42, b, 0);
        grey28.augment(img, 43, c, 0);
        assertThat(Arrays.equals(a, b)).isTrue();
        assertThat(Arrays.equals(a, c)).isFalse();
    }

    @Test
    void resultsDoNotDependOnTheThread() throws Exception {
        SimSiamAugment rgb = new SimSiamAugment(AugmentConfig.simsiam(32, 3));
        DecodedImage img = TestImages.pattern(57, 43, 3, 2);
        int len = rgb.sampleLength();
        float[] serial = new float[64 * len];
        for (int i = 0; i < 64; i++) {
            rgb.augment(img, 1000 + i, serial, i * len);
        }
        float[] parallel = new float[64 * len];
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int i = 63; i >= 0; i--) { // reverse order, interleaved on 4 threads
                int k = i;
                fs.add(ex.submit(() -> rgb.augment(img, 1000 + k, parallel, k * len)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            ex.shutdown();
        }
        assertThat(Arrays.equals(parallel, serial)).as("same floats on 4 threads").isTrue();
    }

    @Test
    void cropDistributionFollowsTorchvision() {
        SimSiamAugment aug = new SimSiamAugment(AugmentConfig.simsiam(224, 3));
        int side = 300; // square, so that rejection is symmetric in the aspect ratio
        double sumLogRatio = 0;
        int large = 0;
        for (int s = 0; s < DRAWS; s++) {
            ViewParams p = aug.sample(side, side, s);
            double area = (double) p.width() * p.height() / (side * side);
            double ratio = (double) p.width() / p.height();
            // Rounding w and h to integers moves area and ratio by a little.
            boolean ok = p.left() >= 0 && p.left() + p.width() <= side && p.top() >= 0 && p.top() + p.height() <= side
                    && area >= 0.2 - 0.01 && area <= 1.0 + 0.01 && ratio >= 0.75 - 0.01 && ratio <= 4.0 / 3 + 0.01;
            if (!ok) {
                throw new AssertionError("crop out of range: " + p);
            }
            sumLogRatio += Math.log(ratio);
            if (area > 0.6) {
                large++;
            }
        }
        assertThat(sumLogRatio / DRAWS).isCloseTo(0.0, within(0.005));
        // Area a ~ U(0.2, 1), log-ratio ~ U(-L, L), L = ln 4/3; a draw is kept iff |log r| <= -ln a, i.e. with
        // probability min(1, -ln(a) / L). P(a > 0.6 | kept) follows from integrating that acceptance.
        double l = Math.log(4.0 / 3);
        double a0 = Math.exp(-l);
        double partial = (1 - (a0 - a0 * Math.log(a0))) / l; // integral of -ln(a)/L over [a0, 1]
        double expected = ((a0 - 0.6) + partial) / ((a0 - 0.2) + partial);
        assertProportion(large, expected);
    }

    @Test
    void probabilitiesAndRangesMatchTheRecipe() {
        SimSiamAugment aug = new SimSiamAugment(AugmentConfig.simsiam(28, 1));
        int jitter = 0;
        int gray = 0;
        int blur = 0;
        int flip = 0;
        Map<String, Integer> orders = new HashMap<>();
        for (int s = 0; s < DRAWS; s++) {
            ViewParams p = aug.sample(28, 28, SeedMix.viewSeed(s, 1));
            jitter += p.jitter() ? 1 : 0;
            gray += p.gray() ? 1 : 0;
            blur += p.blur() ? 1 : 0;
            flip += p.flip() ? 1 : 0;
            orders.merge(Arrays.toString(p.order()), 1, Integer::sum);
            boolean inRange = p.brightness() >= 0.6f && p.brightness() <= 1.4f && p.contrast() >= 0.6f
                    && p.contrast() <= 1.4f && p.saturation() >= 0.6f && p.saturation() <= 1.4f && p.hue() >= -0.1f
                    && p.hue() <= 0.1f && p.sigma() >= 0.1 && p.sigma() <= 2.0;
            if (!inRange) {
                throw new AssertionError("parameter out of range: " + p);
            }
        }
        // 4.5 binomial standard deviations.
        assertProportion(jitter, 0.8);
        assertProportion(gray, 0.2);
        assertProportion(blur, 0.5);
        assertProportion(flip, 0.5);
        assertThat(orders).hasSize(24);
        for (int count : orders.values()) {
            assertProportion(count, 1.0 / 24);
        }
    }

    private static void assertProportion(int count, double p) {
        double sd = Math.sqrt(DRAWS * p * (1 - p));
        assertThat((double) count).isCloseTo(DRAWS * p, within(4.5 * sd));
    }

    @Test
    void centreFallbackWhenNoAttemptFits() {
        // Whole-image crops (scale 1) of a 200x10 strip never fit the 3/4..4/3 ratio: torchvision's fallback.
        AugmentConfig cfg = AugmentConfig.simsiam(8, 1).toBuilder().scale(1.0, 1.0).build();
        ViewParams p = new SimSiamAugment(cfg).sample(200, 10, 5);
        assertThat(new int[]{p.top(), p.left(), p.height(), p.width()}).containsExactly(0, 93, 10, 13);
        ViewParams q = new SimSiamAugment(cfg).sample(10, 200, 5);
        assertThat(new int[]{q.top(), q.left(), q.height(), q.width()}).containsExactly(93, 0, 13, 10);
    }

    @Test
    void greySourceWithRgbOutputEqualsTheRgbPathOnAGreyImage() {
        DecodedImage grey = TestImages.pattern(30, 26, 1, 3);
        byte[] rgbPx = new byte[grey.pixels().length * 3];
        for (int i = 0; i < grey.pixels().length; i++) {
            rgbPx[3 * i] = rgbPx[3 * i + 1] = rgbPx[3 * i + 2] = grey.pixels()[i];
        }
        DecodedImage rgb = new DecodedImage(30, 26, 3, rgbPx);
        SimSiamAugment aug = new SimSiamAugment(AugmentConfig.simsiam(24, 3));
        float[] a = new float[aug.sampleLength()];
        float[] b = new float[aug.sampleLength()];
        for (long seed = 0; seed < 200; seed++) {
            aug.augment(grey, seed, a, 0);
            aug.augment(rgb, seed, b, 0);
            assertThat(maxAbsDiff(a, b)).as("seed %d", seed).isLessThan(2e-4);
        }
    }

    @Test
    void rgbSourceWithGreyOutputEqualsLumaFirst() {
        DecodedImage rgb = TestImages.pattern(30, 26, 3, 4);
        byte[] l = new byte[30 * 26];
        for (int i = 0; i < l.length; i++) {
            float v = ColorOps.luma(rgb.pixels()[3 * i] & 0xFF, rgb.pixels()[3 * i + 1] & 0xFF,
                    rgb.pixels()[3 * i + 2] & 0xFF);
            l[i] = (byte) Math.round(v);
        }
        DecodedImage grey = new DecodedImage(30, 26, 1, l);
        SimSiamAugment aug = new SimSiamAugment(AugmentConfig.simsiam(20, 1));
        float[] a = new float[400];
        float[] b = new float[400];
        float tol = 0.51f / 255 / 0.353f * 1.4f * 1.4f; // luma rounding, amplified by at most two factors of 1.4
        for (long seed = 0; seed < 100; seed++) {
            aug.augment(rgb, seed, a, 0);
            aug.augment(grey, seed, b, 0);
            assertThat(maxAbsDiff(a, b)).as("seed %d", seed).isLessThan(tol);
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void flipMirrorsAndNormalizeUsesTheConfiguredStatistics() {
        DecodedImage img = TestImages.pattern(16, 16, 3, 5);
        AugmentConfig cfg = AugmentConfig.simsiam(16, 3);
        SimSiamAugment aug = new SimSiamAugment(cfg);
        float[] plain = new float[cfg.sampleLength()];
        float[] flipped = new float[cfg.sampleLength()];
        ViewParams p = ViewParams.cropOnly(0, 0, 16, 16);
        aug.apply(img, p, plain, 0);
        aug.apply(img, p.withFlip(true), flipped, 0);
        float[] mean = cfg.mean();
        float[] std = cfg.std();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    float expected = (img.get(x, y, c) / 255f - mean[c]) / std[c];
                    assertThat(plain[c * 256 + y * 16 + x]).isCloseTo(expected, within(1e-5f));
                    assertThat(flipped[c * 256 + y * 16 + 15 - x]).isEqualTo(plain[c * 256 + y * 16 + x]);
                }
            }
        }
    }

    @Test
    void blurKeepsConstantImagesAndSmoothsNoise() {
        AugmentConfig cfg = AugmentConfig.simsiam(28, 1).toBuilder().normalize(new float[]{0}, new float[]{1}).build();
        SimSiamAugment aug = new SimSiamAugment(cfg);
        byte[] flat = new byte[28 * 28];
        Arrays.fill(flat, (byte) 77);
        float[] out = new float[784];
        aug.apply(new DecodedImage(28, 28, 1, flat), ViewParams.cropOnly(0, 0, 28, 28).withBlur(1.7), out, 0);
        for (float v : out) {
            assertThat(v).isCloseTo(77 / 255f, within(1e-5f));
        }
        DecodedImage noise = TestImages.pattern(28, 28, 1, 9);
        float[] sharp = new float[784];
        aug.apply(noise, ViewParams.cropOnly(0, 0, 28, 28), sharp, 0);
        aug.apply(noise, ViewParams.cropOnly(0, 0, 28, 28).withBlur(1.7), out, 0);
        assertThat(roughness(out)).isLessThan(roughness(sharp) * 0.5);
        assertThat(mean(out)).isCloseTo(mean(sharp), within(0.01));
    }

    private static double roughness(float[] img) {
        double s = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 1; x < 28; x++) {
                s += Math.abs(img[y * 28 + x] - img[y * 28 + x - 1]);
            }
        }
        return s;
    }

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s / a.length;
    }

    @Test
    void writesOnlyItsOwnSlot() {
        float[] out = new float[3 * 784];
        Arrays.fill(out, Float.NaN);
        grey28.augment(TestImages.pattern(40, 30, 1, 1), 7, out, 784);
        for (int i = 0; i < out.length; i++) {
            assertThat(Float.isNaN(out[i])).as("index %d", i).isEqualTo(i < 784 || i >= 2 * 784);
        }
    }

    @Test
    void rejectsBadCropsAndOptions() {
        DecodedImage img = TestImages.pattern(10, 10, 1, 1);
        assertThatThrownBy(() -> grey28.apply(img, ViewParams.cropOnly(5, 5, 6, 6), new float[784], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> AugmentConfig.simsiam(28, 2)).hasMessageContaining("outChannels");
        assertThatThrownBy(() -> AugmentConfig.simsiam(28, 1).toBuilder().blur(0.5, 3, 1).build())
                .hasMessageContaining("sigmaMin/sigmaMax").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> AugmentConfig.simsiam(28, 3).toBuilder()
                .normalize(new float[]{0.5f}, new float[]{0.5f}).build()).hasMessageContaining("mean/std");
    }
}
