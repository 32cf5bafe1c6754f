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
     * @param pad scratch of at least {@code max(w, h) + 2 * boxRadius + 4} floats
     * @param tr  scratch of at least {@code w * h} floats
     */
    static void blur(float[] img, int planes, int w, int h, double sigma, float[] pad, float[] tr) {
        double radius = boxRadius(sigma);
        int n = w * h;
        for (int c = 0; c < planes; c++) {
            int base = c * n;
            for (int pass = 0; pass < PASSES; pass++) {
                for (int y = 0; y < h; y++) {
                    boxLine(img, base + y * w, w, radius, pad);
                }
            }
            transpose(img, base, w, h, tr);
            for (int pass = 0; pass < PASSES; pass++) {
                for (int x = 0; x < w; x++) {
                    boxLine(tr, x * h, h, radius, pad);
                }
            }
            transposeBack(tr, img, base, w, h);
        }
    }

    /** Scratch floats {@link #blur} needs in {@code pad} for a line of {@code len}. */
    static int padLength(int len, double sigma) {
        return len + 2 * ((int) boxRadius(sigma) + 1) + 2;
    }

    /** One extended-box pass over {@code line[off .. off+len)} in place, edges replicated. */
    private static void boxLine(float[] line, int off, int len, double radius, float[] pad) {
        int r = (int) radius;
        float frac = (float) (radius - r);
        float inv = (float) (1.0 / (2 * radius + 1));
        int e = r + 1; // replicated samples on each side
        float first = line[off];
        float last = line[off + len - 1];
        for (int i = 0; i < e; i++) {
            pad[i] = first;
            pad[e + len + i] = last;
        }
        System.arraycopy(line, off, pad, e, len);
        // Output x covers pad[x+1 .. x+2r+1] fully and pad[x], pad[x+2r+2] with weight frac.
        float acc = 0;
        for (int k = 1; k <= 2 * r + 1; k++) {
            acc += pad[k];
        }
        for (int x = 0; x < len; x++) {
            line[off + x] = (acc + frac * (pad[x] + pad[x + 2 * r + 2])) * inv;
            if (x + 1 < len) {
                acc += pad[x + 2 * r + 2] - pad[x + 1];
            }
        }
    }

    private static void transpose(float[] img, int base, int w, int h, float[] tr) {
        for (int y = 0; y < h; y++) {
            int row = base + y * w;
            for (int x = 0; x < w; x++) {
                tr[x * h + y] = img[row + x];
            }
        }
    }

    private static void transposeBack(float[] tr, float[] img, int base, int w, int h) {
        for (int x = 0; x < w; x++) {
            int col = x * h;
            for (int y = 0; y < h; y++) {
                img[base + y * w + x] = tr[col + y];
            }
        }
    }
}
