package org.contssl.storage.internal;

/**
 * The one definition of "cosine similarity" used by MinRed: a dot product of two stored unit vectors, computed in a
 * fixed float arithmetic so that every path (single dot, blocked Gram tiles, the vector and the scalar kernel, and the
 * full-matrix reference in the tests) gets bit-identical values. Ties between entries and rounding then agree between
 * the incremental eviction and the full-matrix method.
 *
 * <p>Canonical arithmetic for rows of padded length {@code P} (a multiple of {@link #LANES}): sixteen lane accumulators,
 * {@code acc[l] = fma(a[i+l], b[i+l], acc[l])} for {@code i = 0, 16, 32, ...}; then {@code s[l] = acc[l] + acc[l+8]}
 * ({@code l < 8}) and {@code ((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7))}.
 */
public final class Dots {
    /** Feature rows are zero-padded to a multiple of this many floats (padding contributes exact zeros). */
    public static final int LANES = 16;

    private static final Kernel KERNEL = pick();

    private Dots() {}

    /** Padded row length for a feature dimension. */
    public static int stride(int dim) {
        return (dim + LANES - 1) / LANES * LANES;
    }

    /** Whether the jdk.incubator.vector kernel is in use (else the bit-identical scalar one). */
    public static boolean vectorized() {
        return KERNEL instanceof VectorDots;
    }

    /** Dot product of rows starting at offsets {@code a} and {@code b} of {@code f}, padded length {@code p}. */
    public static float dot(float[] f, int a, int b, int p) {
        return KERNEL.dot(f, a, b, p);
    }

    /**
     * out[i * nCols + j] = dot(row rows[i], row cols[j]) for slot numbers (row offset = slot * p). Blocked so a tile of
     * columns stays in cache while every row streams past it.
     */
    public static void gram(float[] f, int p, int[] rows, int rowFrom, int rowTo, int[] cols, int colFrom, int colTo,
                            float[] out) {
        KERNEL.gram(f, p, rows, rowFrom, rowTo, cols, colFrom, colTo, out);
    }

    /** Reference scalar implementation of the canonical arithmetic (also the fallback kernel). */
    public static float scalarDot(float[] f, int a, int b, int p) {
        return ScalarDots.INSTANCE.dot(f, a, b, p);
    }

    private static Kernel pick() {
        if (Boolean.getBoolean("contssl.storage.scalarDots")) {
            return ScalarDots.INSTANCE;
        }
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return ScalarDots.INSTANCE;
            }
            Kernel k = new VectorDots();
            // Self-check on a small random tile: the vector kernel must reproduce the scalar bits.
            float[] f = new float[4 * 48];
            long s = 42;
            for (int i = 0; i < f.length; i++) {
                s = s * 6364136223846793005L + 1442695040888963407L;
                f[i] = (float) ((s >>> 40) / (double) (1L << 24) - 0.5);
            }
            for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 4; b++) {
                    if (Float.floatToRawIntBits(k.dot(f, a * 48, b * 48, 48))
                            != Float.floatToRawIntBits(ScalarDots.INSTANCE.dot(f, a * 48, b * 48, 48))) {
                        return ScalarDots.INSTANCE;
                    }
                }
            }
            return k;
        } catch (Throwable t) {
            return ScalarDots.INSTANCE;
        }
    }

    /** Implementation of the canonical arithmetic. */
    interface Kernel {
        float dot(float[] f, int a, int b, int p);

        default void gram(float[] f, int p, int[] rows, int rowFrom, int rowTo, int[] cols, int colFrom, int colTo,
                          float[] out) {
            int nCols = colTo - colFrom;
            for (int i = rowFrom; i < rowTo; i++) {
                int ra = rows[i] * p;
                int o = (i - rowFrom) * nCols;
                for (int j = colFrom; j < colTo; j++) {
                    out[o + j - colFrom] = dot(f, ra, cols[j] * p, p);
                }
            }
        }
    }
}
