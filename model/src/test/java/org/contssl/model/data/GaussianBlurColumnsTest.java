package org.contssl.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The column-parallel vertical passes must give exactly what filtering each column as a line gives (the definition
 * PIL's algorithm is written in): same floats, bit for bit, for narrow and wide radii and non-square planes, on both
 * the scalar passes and the jdk.incubator.vector ones.
 */
class GaussianBlurColumnsTest {

    @Test
    void vectorPassesAreActiveUnderTheProjectsJvmFlags() {
        assertTrue(GaussianBlur.VECTORIZED, "jdk.incubator.vector is on the test JVM's module path (pom argLine)");
    }

    @Test
    void columnPassesAreBitIdenticalToLinePasses() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{224, 224}, {37, 53}, {5, 3}, {1, 9}};
        double[] sigmas = {0.1, 0.7, 1.3, 2.0, 6.5};
        for (int[] s : shapes) {
            int w = s[0];
            int h = s[1];
            for (double sigma : sigmas) {
                float[] img = new float[2 * w * h];
                for (int i = 0; i < img.length; i++) {
                    img[i] = (float) (r.nextDouble() * 255);
                }
                float[] expected = img.clone();
                referenceBlur(expected, 2, w, h, sigma);
                float[] pad = new float[GaussianBlur.padLength(Math.max(w, h), sigma)];
                for (boolean vector : new boolean[] {false, true}) {
                    float[] out = img.clone();
                    GaussianBlur.blur(out, 2, w, h, sigma, pad, new float[2 * w * h], vector);
                    assertArrayEquals(expected, out, w + "x" + h + " sigma " + sigma + " vector " + vector);
                }
            }
        }
    }

    /** Line passes on rows, then on the transposed plane's rows (the columns), as the blur was first written. */
    private static void referenceBlur(float[] img, int planes, int w, int h, double sigma) {
        double radius = GaussianBlur.boxRadius(sigma);
        for (int c = 0; c < planes; c++) {
            int base = c * w * h;
            for (int pass = 0; pass < GaussianBlur.PASSES; pass++) {
                for (int y = 0; y < h; y++) {
                    line(img, base + y * w, w, radius, 1);
                }
            }
            for (int pass = 0; pass < GaussianBlur.PASSES; pass++) {
                for (int x = 0; x < w; x++) {
                    line(img, base + x, h, radius, w);
                }
            }
        }
    }

    private static void line(float[] a, int off, int len, double radius, int stride) {
        int r = (int) radius;
        float frac = (float) (radius - r);
        float inv = (float) (1.0 / (2 * radius + 1));
        int e = r + 1;
        float[] pad = new float[len + 2 * e + 1];
        for (int k = 0; k < pad.length; k++) {
            pad[k] = a[off + Math.min(Math.max(k - e, 0), len - 1) * stride];
        }
        float acc = 0;
        for (int k = 1; k <= 2 * r + 1; k++) {
            acc += pad[k];
        }
        for (int x = 0; x < len; x++) {
            a[off + x * stride] = (acc + frac * (pad[x] + pad[x + 2 * r + 2])) * inv;
            if (x + 1 < len) {
                acc += pad[x + 2 * r + 2] - pad[x + 1];
            }
        }
    }
}
