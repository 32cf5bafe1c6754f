package org.contssl.model.data;

/**
 * The reference's blur, PIL's {@code ImageFilter.GaussianBlur(radius=σ)}: three passes of an "extended" box filter
 * per axis (box of integer radius r plus fractional end taps, Gwosdek et al. 2011) whose variances add up to σ²,
 * edges replicated, horizontal passes first. Same algorithm as Pillow's {@code ImagingGaussianBlur}, but in float
 * (Pillow rounds to uint8 after each of the six passes).
 */
final class GaussianBlur {

    static final int PASSES = 3;

    private GaussianBlur() {
    }

    /** Pillow's {@code _gaussian_blur_radius}: the fractional box radius that gives variance σ²/passes. */
    static double boxRadius(double sigma) {
        double sigma2 = sigma * sigma / PASSES;
        double len = Math.sqrt(12.0 * sigma2 + 1.0);
        double l = Math.floor((len - 1.0) / 2.0);
        double a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
        a /= 6 * (sigma2 - (l + 1) * (l + 1));
        return l + a;
    }

    /**
     * Blurs each of {@code planes} planes of {@code w × h} in place.
     *
     * @param pad scratch of at least {@code max(w, h)} floats (the running sums)
     * @param tr  scratch of at least {@code 2 * w * h} floats (the transposed plane and a copy for the passes)
     */
    static void blur(float[] img, int planes, int w, int h, double sigma, float[] pad, float[] tr) {
        double radius = boxRadius(sigma);
        int n = w * h;
        for (int c = 0; c < planes; c++) {
            int base = c * n;
            // horizontal passes as column passes of the transposed plane (tr[0 .. n), h wide and w high)
            for (int y = 0; y < h; y++) {
                int row = base + y * w;
                for (int x = 0; x < w; x++) {
                    tr[x * h + y] = img[row + x];
                }
            }
            for (int pass = 0; pass < PASSES; pass++) {
                System.arraycopy(tr, 0, tr, n, n);
                boxColumns(tr, n, tr, 0, h, w, radius, pad);
            }
            for (int x = 0; x < w; x++) {
                int col = x * h;
                for (int y = 0; y < h; y++) {
                    img[base + y * w + x] = tr[col + y];
                }
            }
            for (int pass = 0; pass < PASSES; pass++) {
                System.arraycopy(img, base, tr, 0, n);
                boxColumns(tr, 0, img, base, w, h, radius, pad);
            }
        }
    }

    /** Scratch floats {@link #blur} needs in {@code pad} for a line of {@code len}. */
    static int padLength(int len, double sigma) {
        return len + 2 * ((int) boxRadius(sigma) + 1) + 2;
    }

    /**
     * One extended-box pass down every column at once: {@code dst[base + y*w + x]} from the plane
     * {@code src[srcOff .. srcOff + w*h)}. Each column sees exactly the additions of Pillow's line pass (edges
     * replicated, running sum, same operands in the same order), so the result is bit-identical to filtering each
     * column as a line; but the inner loops run along rows, which the
     * JIT vectorises, instead of a serial running sum per column (docs/performance.md, "Input pipeline").
     *
     * @param acc scratch of at least {@code w} floats
     */
    private static void boxColumns(float[] src, int srcOff, float[] dst, int base, int w, int h, double radius,
                                   float[] acc) {
        int r = (int) radius;
        float frac = (float) (radius - r);
        float inv = (float) (1.0 / (2 * radius + 1));
        int e = r + 1;
        // padded row k (0 .. h + 2e) is source row clamp(k - e, 0, h - 1): edges replicated
        for (int x = 0; x < w; x++) {
            acc[x] = 0;
        }
        for (int k = 1; k <= 2 * r + 1; k++) {
            int row = srcOff + Math.min(Math.max(k - e, 0), h - 1) * w;
            for (int x = 0; x < w; x++) {
                acc[x] += src[row + x];
            }
        }
        for (int y = 0; y < h; y++) {
            int lo = srcOff + Math.min(Math.max(y - e, 0), h - 1) * w;
            int hi = srcOff + Math.min(Math.max(y + 2 * r + 2 - e, 0), h - 1) * w;
            int next = srcOff + Math.min(Math.max(y + 1 - e, 0), h - 1) * w;
            int out = base + y * w;
            for (int x = 0; x < w; x++) {
                dst[out + x] = (acc[x] + frac * (src[lo + x] + src[hi + x])) * inv;
            }
            if (y + 1 < h) {
                for (int x = 0; x < w; x++) {
                    acc[x] += src[hi + x] - src[next + x];
                }
            }
        }
    }
}
