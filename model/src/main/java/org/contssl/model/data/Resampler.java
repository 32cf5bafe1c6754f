package org.contssl.model.data;

/**
 * Separable resampling with PIL's BILINEAR filter: a triangle of support 1 that widens with the downscale factor
 * (so downscaling averages instead of aliasing), weights renormalised where the window is clipped at the region's
 * border. Same coordinate convention as PIL ({@code center = (o + 0.5) * scale}). Unlike PIL the intermediate rows
 * stay in float instead of being rounded to uint8, which differs by at most about one grey level.
 */
final class Resampler {

    private Resampler() {
    }

    /** Taps for one axis: output {@code o} reads inputs {@code first[o] .. first[o]+count[o]-1}. */
    static final class Axis {
        int[] first = new int[0];
        int[] count = new int[0];
        float[] w = new float[0];
        int taps;

        /**
         * @param out   output length
         * @param start input coordinate where output 0's left edge maps (may be fractional)
         * @param scale input units per output pixel
         * @param lo    first readable input index (inclusive)
         * @param hi    last readable input index (exclusive)
         */
        void set(int out, double start, double scale, int lo, int hi) {
            double ss = Math.max(scale, 1.0);
            double support = ss; // bilinear filter support is 1
            int maxTaps = (int) Math.ceil(support) * 2 + 1;
            if (first.length < out) {
                first = new int[out];
                count = new int[out];
            }
            if (w.length < out * maxTaps) {
                w = new float[out * maxTaps];
            }
            taps = maxTaps;
            double invSs = 1.0 / ss;
            int span = hi - lo;
            for (int o = 0; o < out; o++) {
                double center = start - lo + (o + 0.5) * scale;
                int xmin = Math.max((int) Math.floor(center - support + 0.5), 0);
                int xmax = Math.min((int) Math.floor(center + support + 0.5), span);
                int base = o * maxTaps;
                double sum = 0;
                int n = Math.min(Math.max(xmax - xmin, 0), maxTaps);
                for (int k = 0; k < n; k++) {
                    double t = (xmin + k - center + 0.5) * invSs;
                    double v = t < 0 ? 1 + t : 1 - t;
                    v = v > 0 ? v : 0;
                    w[base + k] = (float) v;
                    sum += v;
                }
                if (n == 0 || sum <= 0) {
                    // Degenerate window (cannot happen for regions at least one pixel wide): nearest pixel.
                    xmin = Math.min(Math.max((int) Math.floor(center), 0), span - 1);
                    n = 1;
                    w[base] = 1f;
                    sum = 1;
                }
                float inv = (float) (1.0 / sum);
                for (int k = 0; k < n; k++) {
                    w[base + k] *= inv;
                }
                first[o] = lo + xmin;
                count[o] = n;
            }
        }
    }

    /** Rows {@code [rowLo, rowHi)} that the vertical axis reads. */
    static int rowLo(Axis ay, int outH) {
        int lo = Integer.MAX_VALUE;
        for (int o = 0; o < outH; o++) {
            lo = Math.min(lo, ay.first[o]);
        }
        return lo;
    }

    static int rowHi(Axis ay, int outH) {
        int hi = 0;
        for (int o = 0; o < outH; o++) {
            hi = Math.max(hi, ay.first[o] + ay.count[o]);
        }
        return hi;
    }

    /**
     * Resamples {@code src} (interleaved uint8) through the two axes into planar float {@code dst} on a 0..255 scale:
     * {@code dst[c * outW * outH + y * outW + x]}. With {@code toGrey} an RGB source becomes one plane through the
     * ITU-R 601 luma weights PIL's {@code convert("L")} uses; resampling and luma are both linear so the order does
     * not matter.
     *
     * @param tmp scratch of at least {@code (rowHi - rowLo) * outW * channels} floats
     */
    static void resample(DecodedImage src, Axis ax, Axis ay, int outW, int outH, boolean toGrey, float[] tmp,
                         float[] dst) {
        byte[] px = src.pixels();
        int ic = src.channels();
        int w = src.width();
        int rowLo = rowLo(ay, outH);
        int rowHi = rowHi(ay, outH);
        int tx = ax.taps;
        // Horizontal pass: rows rowLo..rowHi-1, interleaved channels.
        int rowLen = outW * ic;
        for (int y = rowLo; y < rowHi; y++) {
            int srcRow = y * w * ic;
            int t = (y - rowLo) * rowLen;
            for (int o = 0; o < outW; o++) {
                int f = srcRow + ax.first[o] * ic;
                int n = ax.count[o];
                int wb = o * tx;
                if (ic == 1) {
                    float acc = 0;
                    for (int k = 0; k < n; k++) {
                        acc += ax.w[wb + k] * (px[f + k] & 0xFF);
                    }
                    tmp[t + o] = acc;
                } else {
                    float r = 0;
                    float g = 0;
                    float b = 0;
                    for (int k = 0; k < n; k++) {
                        float wk = ax.w[wb + k];
                        int p = f + 3 * k;
                        r += wk * (px[p] & 0xFF);
                        g += wk * (px[p + 1] & 0xFF);
                        b += wk * (px[p + 2] & 0xFF);
                    }
                    int q = t + 3 * o;
                    tmp[q] = r;
                    tmp[q + 1] = g;
                    tmp[q + 2] = b;
                }
            }
        }
        // Vertical pass into planes.
        int plane = outW * outH;
        int ty = ay.taps;
        for (int o = 0; o < outH; o++) {
            int n = ay.count[o];
            int wb = o * ty;
            int r0 = (ay.first[o] - rowLo) * rowLen;
            int d = o * outW;
            if (ic == 1) {
                for (int x = 0; x < outW; x++) {
                    float acc = 0;
                    for (int k = 0; k < n; k++) {
                        acc += ay.w[wb + k] * tmp[r0 + k * rowLen + x];
                    }
                    dst[d + x] = acc;
                }
            } else {
                for (int x = 0; x < outW; x++) {
                    float r = 0;
                    float g = 0;
                    float b = 0;
                    for (int k = 0; k < n; k++) {
                        float wk = ay.w[wb + k];
                        int p = r0 + k * rowLen + 3 * x;
                        r += wk * tmp[p];
                        g += wk * tmp[p + 1];
                        b += wk * tmp[p + 2];
                    }
                    if (toGrey) {
                        dst[d + x] = ColorOps.luma(r, g, b);
                    } else {
                        dst[d + x] = r;
                        dst[plane + d + x] = g;
                        dst[2 * plane + d + x] = b;
                    }
                }
            }
        }
    }
}
