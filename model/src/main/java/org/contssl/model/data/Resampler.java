package org.contssl.model.data;

/**
 * Separable resampling with PIL's BILINEAR filter: a triangle of support 1 that widens with the downscale factor
 * (so downscaling averages instead of aliasing), weights renormalised where the window is clipped at the region's
 * border. Same coordinate convention as PIL ({@code center = (o + 0.5) * scale}). Unlike PIL the intermediate rows
 * stay in float instead of being rounded to uint8, which differs by at most about one grey level.
 */
final class Resampler {

    /**
     * Whether the vertical pass runs as {@link VectorResample} (bit-identical; checked once here against the scalar
     * pass, which runs instead when the incubator module is absent or {@code -Dcontssl.model.scalarResample=true}).
     */
    static final boolean VECTORIZED = pickVector();

    /**
     * Byte value to float by table: the same exact values as the int-to-float conversion, but a load instead of
     * x86's {@code cvtsi2ss}, whose write to only the low lane chains every conversion to the previous one.
     */
    private static final float[] U8 = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            U8[i] = i;
        }
    }

    private Resampler() {
    }

    private static boolean pickVector() {
        return VectorKernels.enabled("contssl.model.scalarResample", () -> {
            int len = 37;
            int n = 5;
            float[] tmp = new float[n * len];
            float[] w = new float[n];
            long s = 3;
            for (int i = 0; i < tmp.length; i++) {
                s = s * 6364136223846793005L + 1442695040888963407L;
                tmp[i] = (float) ((s >>> 40) / (double) (1L << 24) * 255);
                w[i % n] = (float) ((s >>> 50) / (double) (1L << 14));
            }
            float[] a = new float[len];
            float[] b = new float[len];
            verticalRow(tmp, 0, len, w, 0, n, a, 0, len);
            VectorResample.row(tmp, 0, len, w, 0, n, b, 0, len);
            return VectorKernels.sameBits(a, b, len);
        });
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
        resample(src, ax, ay, outW, outH, toGrey, tmp, dst, VECTORIZED);
    }

    static void resample(DecodedImage src, Axis ax, Axis ay, int outW, int outH, boolean toGrey, float[] tmp,
                         float[] dst, boolean vector) {
        if (toGrey && src.channels() == 3) {
            resampleToGrey(src, ax, ay, outW, outH, tmp, dst);
            return;
        }
        byte[] px = src.pixels();
        int ic = src.channels();
        int w = src.width();
        int rowLo = rowLo(ay, outH);
        int rowHi = rowHi(ay, outH);
        int tx = ax.taps;
        // Horizontal pass: rows rowLo..rowHi-1 into one plane of tmp per channel, so the vertical pass below reads
        // and writes whole contiguous rows.
        int tmpPlane = (rowHi - rowLo) * outW;
        int y0 = rowLo;
        if (ic == 3) {
            // two rows at a time: they share each output's taps, and their sums are independent chains
            int rowLen = w * 3;
            float[] wt = ax.w;
            for (; y0 + 1 < rowHi; y0 += 2) {
                int s0 = y0 * rowLen;
                int t0 = (y0 - rowLo) * outW;
                int t1 = t0 + outW;
                for (int o = 0; o < outW; o++) {
                    int f = s0 + ax.first[o] * 3;
                    int n = ax.count[o];
                    int wb = o * tx;
                    float r0 = 0;
                    float g0 = 0;
                    float b0 = 0;
                    float r1 = 0;
                    float g1 = 0;
                    float b1 = 0;
                    for (int k = 0; k < n; k++) {
                        float wk = wt[wb + k];
                        int p = f + 3 * k;
                        int q = p + rowLen;
                        r0 += wk * U8[px[p] & 0xFF];
                        g0 += wk * U8[px[p + 1] & 0xFF];
                        b0 += wk * U8[px[p + 2] & 0xFF];
                        r1 += wk * U8[px[q] & 0xFF];
                        g1 += wk * U8[px[q + 1] & 0xFF];
                        b1 += wk * U8[px[q + 2] & 0xFF];
                    }
                    tmp[t0 + o] = r0;
                    tmp[tmpPlane + t0 + o] = g0;
                    tmp[2 * tmpPlane + t0 + o] = b0;
                    tmp[t1 + o] = r1;
                    tmp[tmpPlane + t1 + o] = g1;
                    tmp[2 * tmpPlane + t1 + o] = b1;
                }
            }
        }
        for (int y = y0; y < rowHi; y++) {
            int srcRow = y * w * ic;
            int t = (y - rowLo) * outW;
            for (int o = 0; o < outW; o++) {
                int f = srcRow + ax.first[o] * ic;
                int n = ax.count[o];
                int wb = o * tx;
                if (ic == 1) {
                    float acc = 0;
                    for (int k = 0; k < n; k++) {
                        acc += ax.w[wb + k] * U8[px[f + k] & 0xFF];
                    }
                    tmp[t + o] = acc;
                } else {
                    float r = 0;
                    float g = 0;
                    float b = 0;
                    for (int k = 0; k < n; k++) {
                        float wk = ax.w[wb + k];
                        int p = f + 3 * k;
                        r += wk * U8[px[p] & 0xFF];
                        g += wk * U8[px[p + 1] & 0xFF];
                        b += wk * U8[px[p + 2] & 0xFF];
                    }
                    tmp[t + o] = r;
                    tmp[tmpPlane + t + o] = g;
                    tmp[2 * tmpPlane + t + o] = b;
                }
            }
        }
        // Vertical pass, a whole output row at a time (on vector lanes when available).
        int plane = outW * outH;
        int ty = ay.taps;
        for (int c = 0; c < ic; c++) {
            for (int o = 0; o < outH; o++) {
                int n = ay.count[o];
                int wb = o * ty;
                int r0 = c * tmpPlane + (ay.first[o] - rowLo) * outW;
                int d = c * plane + o * outW;
                if (vector) {
                    VectorResample.row(tmp, r0, outW, ay.w, wb, n, dst, d, outW);
                } else {
                    verticalRow(tmp, r0, outW, ay.w, wb, n, dst, d, outW);
                }
            }
        }
    }

    /** The vertical pass's definition for one output row: each pixel sums its taps from zero in tap order. */
    static void verticalRow(float[] tmp, int r0, int stride, float[] w, int wb, int n, float[] dst, int d, int len) {
        for (int x = 0; x < len; x++) {
            float acc = 0;
            for (int k = 0; k < n; k++) {
                acc += w[wb + k] * tmp[r0 + k * stride + x];
            }
            dst[d + x] = acc;
        }
    }

    /** RGB source to one luma plane: both passes on interleaved RGB, luma of each resampled pixel. */
    private static void resampleToGrey(DecodedImage src, Axis ax, Axis ay, int outW, int outH, float[] tmp,
                                       float[] dst) {
        byte[] px = src.pixels();
        int w = src.width();
        int rowLo = rowLo(ay, outH);
        int rowHi = rowHi(ay, outH);
        int tx = ax.taps;
        int rowLen = outW * 3;
        for (int y = rowLo; y < rowHi; y++) {
            int srcRow = y * w * 3;
            int t = (y - rowLo) * rowLen;
            for (int o = 0; o < outW; o++) {
                int f = srcRow + ax.first[o] * 3;
                int n = ax.count[o];
                int wb = o * tx;
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
        int ty = ay.taps;
        for (int o = 0; o < outH; o++) {
            int n = ay.count[o];
            int wb = o * ty;
            int r0 = (ay.first[o] - rowLo) * rowLen;
            int d = o * outW;
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
                dst[d + x] = ColorOps.luma(r, g, b);
            }
        }
    }
}
