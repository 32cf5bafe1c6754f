package org.contssl.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector colour kernels must give the scalar definitions' floats bit for bit (training stays reproducible whether
 * or not the incubator module is present): random planes with grey pixels, pixels outside 0..255 (as a previous op
 * leaves them before its clamp would), equal-channel ties between max and min, and lengths that leave a scalar tail.
 */
class ColorOpsVectorTest {

    @Test
    void vectorKernelsAreActiveUnderTheProjectsJvmFlags() {
        assertTrue(ColorOps.VECTORIZED, "jdk.incubator.vector is on the test JVM's module path (pom argLine)");
    }

    @Test
    void everyOpIsBitIdenticalToItsScalarDefinition() {
        SplittableRandom r = new SplittableRandom(11);
        int[] lengths = {1, 7, 16, 67, 224 * 224 + 5};
        for (int n : lengths) {
            for (int trial = 0; trial < 6; trial++) {
                float[] a = plane(r, n);
                float f = (float) (r.nextDouble() * 2);
                float shift = (float) (r.nextDouble() - 0.5);
                for (int op = 0; op < 5; op++) {
                    float[] s = a.clone();
                    float[] v = a.clone();
                    switch (op) {
                        case 0 -> {
                            ColorOps.brightnessScalar(s, 3, n, f);
                            VectorColorOps.brightness(v, 3, n, f);
                        }
                        case 1 -> {
                            ColorOps.contrastScalar(s, 3, n, f);
                            VectorColorOps.contrast(v, 3, n, f);
                        }
                        case 2 -> {
                            ColorOps.saturationScalar(s, n, f, 0);
                            VectorColorOps.saturation(v, n, f);
                        }
                        case 3 -> {
                            ColorOps.hueScalar(s, n, shift, 0);
                            VectorColorOps.hue(v, n, shift);
                        }
                        default -> {
                            ColorOps.grayscaleScalar(s, n, 0);
                            VectorColorOps.grayscale(v, n);
                        }
                    }
                    for (int i = 0; i < s.length; i++) {
                        int at = i;
                        assertEquals(Float.floatToRawIntBits(s[i]), Float.floatToRawIntBits(v[i]),
                                () -> "op " + at / n + " n " + n + " at " + at);
                    }
                }
            }
        }
    }

    @Test
    void greySumOnLanesIsTheSerialSumOrDeclined() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 224 * 224 + 3;
        for (int planes : new int[] {1, 3}) {
            // photo-like: byte values through resampling-like weights, so grey levels are 0 or well above 1/64
            float[] a = new float[planes * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(4) == 0 ? 0f : r.nextInt(256) * (float) (0.25 + r.nextDouble() * 0.75);
            }
            double lanes = VectorColorOps.exactGreySum(a, planes, n);
            assertEquals(Double.doubleToRawLongBits(serialSum(a, planes, n)), Double.doubleToRawLongBits(lanes));
            // one tiny grey level: an addition could round, so the lanes decline and the serial sum runs
            a[n / 2] = 1e-30f;
            if (planes == 3) {
                a[n + n / 2] = 0f;
                a[2 * n + n / 2] = 0f;
            }
            assertTrue(Double.isNaN(VectorColorOps.exactGreySum(a, planes, n)));
            float[] s = a.clone();
            float[] v = a.clone();
            ColorOps.contrastScalar(s, planes, n, 0.6f);
            VectorColorOps.contrast(v, planes, n, 0.6f);
            for (int i = 0; i < s.length; i++) {
                assertEquals(Float.floatToRawIntBits(s[i]), Float.floatToRawIntBits(v[i]));
            }
        }
        assertEquals(0.0, VectorColorOps.exactGreySum(new float[3 * 40], 3, 40));
    }

    private static double serialSum(float[] img, int planes, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += planes == 1 ? img[i] : ColorOps.luma(img[i], img[n + i], img[2 * n + i]);
        }
        return sum;
    }

    /** Three planes: mostly 0..255, some out of range, some grey pixels and some with two equal channels. */
    private static float[] plane(SplittableRandom r, int n) {
        float[] a = new float[3 * n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            for (int c = 0; c < 3; c++) {
                a[c * n + i] = kind == 0 ? (float) (r.nextDouble() * 300 - 20) : (float) (r.nextDouble() * 255);
            }
            if (kind == 1) {
                a[n + i] = a[i];
                a[2 * n + i] = a[i];
            } else if (kind == 2) {
                a[n + i] = a[i];
            } else if (kind == 3) {
                a[2 * n + i] = a[n + i];
            } else if (kind == 4) {
                a[i] = 0f;
                a[n + i] = 255f;
            }
        }
        return a;
    }
}
