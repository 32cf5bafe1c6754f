package org.contssl.model.data;

/**
 * Per-thread scratch arrays for the transforms, grown on demand and reused, so a view allocates nothing. One per
 * thread via {@link #get()}: the transforms themselves stay stateless and shareable.
 */
final class Workspace {

    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    /**
     * Whether {@link #write} normalises on vector lanes ({@link VectorNormalize}; bit-identical, checked once here
     * against the scalar loop, which runs instead when the incubator module is absent or
     * {@code -Dcontssl.model.scalarNormalize=true}).
     */
    static final boolean VECTORIZED = pickVector();

    private static boolean pickVector() {
        return VectorKernels.enabled("contssl.model.scalarNormalize", () -> {
            int size = 37;
            float[] img = new float[size];
            for (int i = 0; i < size; i++) {
                img[i] = i * 7.3f;
            }
            float[] got = new float[size];
            float a = 1f / (255f * 0.229f);
            float b = -0.485f / 0.229f;
            for (boolean flip : new boolean[] {false, true}) {
                VectorNormalize.row(img, 0, size, flip, a, b, got, 0);
                for (int x = 0; x < size; x++) {
                    float want = img[flip ? size - 1 - x : x] * a + b;
                    if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got[x])) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    final Resampler.Axis ax = new Resampler.Axis();
    final Resampler.Axis ay = new Resampler.Axis();
    float[] tmp = new float[0];
    float[] img = new float[0];
    float[] col = new float[0];
    float[] pad = new float[0];

    static Workspace get() {
        return LOCAL.get();
    }

    float[] tmp(int n) {
        if (tmp.length < n) {
            tmp = new float[n];
        }
        return tmp;
    }

    float[] img(int n) {
        if (img.length < n) {
            img = new float[n];
        }
        return img;
    }

    float[] col(int n) {
        if (col.length < n) {
            col = new float[n];
        }
        return col;
    }

    float[] pad(int n) {
        if (pad.length < n) {
            pad = new float[n];
        }
        return pad;
    }

    /**
     * Resamples the region {@code [left, left+width) × [top, top+height)} of {@code src}, mapped with the given
     * start and scale per axis, into {@link #img} as {@code planes} planes of {@code size × size}.
     */
    void resample(DecodedImage src, int size, boolean toGrey, double startX, double scaleX, int lox, int hix,
                  double startY, double scaleY, int loy, int hiy) {
        ax.set(size, startX, scaleX, lox, hix);
        ay.set(size, startY, scaleY, loy, hiy);
        int rows = Resampler.rowHi(ay, size) - Resampler.rowLo(ay, size);
        int planes = src.channels() == 3 && !toGrey ? 3 : 1;
        Resampler.resample(src, ax, ay, size, size, toGrey, tmp(rows * size * src.channels()),
                img(planes * size * size));
    }

    /**
     * Writes {@link #img} (values 0..255, {@code planes} planes) as {@code (v/255 - mean[c]) / std[c]} into
     * {@code out[off + c*size*size + y*size + x]}, mirroring x when {@code flip}; one plane fills every output
     * channel.
     */
    void write(int planes, int size, int outChannels, boolean flip, float[] mean, float[] std, float[] out, int off) {
        int n = size * size;
        for (int c = 0; c < outChannels; c++) {
            float a = 1f / (255f * std[c]);
            float b = -mean[c] / std[c];
            int src = (planes == 1 ? 0 : c) * n;
            int dst = off + c * n;
            for (int y = 0; y < size; y++) {
                int row = src + y * size;
                int o = dst + y * size;
                if (VECTORIZED) {
                    VectorNormalize.row(img, row, size, flip, a, b, out, o);
                } else if (flip) {
                    for (int x = 0; x < size; x++) {
                        out[o + x] = img[row + size - 1 - x] * a + b;
                    }
                } else {
                    for (int x = 0; x < size; x++) {
                        out[o + x] = img[row + x] * a + b;
                    }
                }
            }
        }
    }
}
