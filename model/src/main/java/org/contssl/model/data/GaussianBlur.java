package org.contssl.model.data;

/**
 * The reference's blur, PIL's {@code ImageFilter.GaussianBlur(radius=σ)}: three passes of an "extended" box filter
 * per axis (box of integer radius r plus fractional end taps, Gwosdek et al. 2011) whose variances add up to σ²,
 * edges replicated, horizontal passes first. Same algorithm as Pillow's {@code ImagingGaussianBlur}, but in float
 * (Pillow rounds to uint8 after each of the six passes).
 */
final class GaussianBlur {

    static final int PASSES = 3;

    /**
     * Whether the column passes run as {@link VectorBlur} (bit-identical; checked once here on a small plane against
     * the scalar passes, which run instead when the incubator module is absent or
     * {@code -Dcontssl.model.scalarBlur=true}).
     */
    static final boolean VECTORIZED = pickVector();

    private GaussianBlur() {
    }

    private static boolean pickVector() {
        return VectorKernels.enabled("contssl.model.scalarBlur", () -> {
            int w = 37;
            int h = 29;
            float[] a = VectorKernels.plane(w * h, 7, 255, 0);
            float[] b = a.clone();
            double sigma = 1.7;
            float[] pad = new float[padLength(Math.max(w, h), sigma)];
            blur(a, 1, w, h, sigma, pad, new float[2 * w * h], false);
            blur(b, 1, w, h, sigma, pad, new float[2 * w * h], true);
            return VectorKernels.sameBits(a, b, a.length);
        });
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
     * @param tr  scratch of at least {@code 2 * w * h} floats (two planes the passes alternate between)
     */
    static void blur(float[] img, int planes, int w, int h, double sigma, float[] pad, float[] tr) {
        blur(img, planes, w, h, sigma, pad, tr, VECTORIZED);
    }

    static void blur(float[] img, int planes, int w, int h, double sigma, float[] pad, float[] tr, boolean vector) {
        double radius = boxRadius(sigma);
        int n = w * h;
        for (int c = 0; c < planes; c++) {
            int base = c * n;
            // Horizontal passes as column passes of the transposed plane (h wide, w high). The passes alternate
            // between the two halves of tr instead of copying their input aside first: same operands, no copies.
            transpose(img, base, w, h, tr, 0);
            int cur = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                boxColumns(tr, cur, tr, n - cur, h, w, radius, pad, vector);
                cur = n - cur;
            }
            transpose(tr, cur, h, w, img, base);
            // Vertical passes: img -> tr halves -> ... -> img on the last pass.
            float[] src = img;
            int srcOff = base;
            cur = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                boolean last = pass == PASSES - 1;
                float[] dst = last ? img : tr;
                int dstOff = last ? base : cur;
                boxColumns(src, srcOff, dst, dstOff, w, h, radius, pad, vector);
                src = dst;
                srcOff = dstOff;
                cur = n - cur;
            }
        }
    }

    /** Tile side of {@link #transpose}: a tile of source rows and one of destination rows both stay in L1. */
    private static final int TILE = 16;

    /** {@code dst[dstOff + x*h + y] = src[srcOff + y*w + x]}, in tiles so neither side strides through memory. */
    static void transpose(float[] src, int srcOff, int w, int h, float[] dst, int dstOff) {
        for (int y0 = 0; y0 < h; y0 += TILE) {
            int y1 = Math.min(y0 + TILE, h);
            for (int x0 = 0; x0 < w; x0 += TILE) {
                int x1 = Math.min(x0 + TILE, w);
                for (int x = x0; x < x1; x++) {
                    int d = dstOff + x * h;
                    for (int y = y0; y < y1; y++) {
                        dst[d + y] = src[srcOff + y * w + x];
                    }
                }
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
     * column as a line; but the inner loops run along rows, which {@link VectorBlur} runs on vector lanes (C2 left
     * this scalar loop scalar), instead of a serial running sum per column (docs/performance.md, "Input pipeline at
     * ImageNet shape").
     *
     * @param acc scratch of at least {@code w} floats
     */
    private static void boxColumns(float[] src, int srcOff, float[] dst, int base, int w, int h, double radius,
                                   float[] acc, boolean vector) {
        if (vector) {
            VectorBlur.boxColumns(src, srcOff, dst, base, w, h, radius, acc);
            return;
        }
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
