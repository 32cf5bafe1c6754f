package org.contssl.storage.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Canonical arithmetic of {@link Dots} on 256-bit vectors: each 16-lane accumulator is a pair (lanes 0-7, 8-15), so
 * the per-lane fused multiply-adds are the scalar kernel's, in the same order. The Gram kernel computes a 2-row x
 * 4-column tile per pass (16 accumulators: enough reuse to stay compute-bound without spilling registers).
 */
final class VectorDots implements Dots.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Columns per cache tile: 128 rows of a 512-d feature = 256 KiB, well inside L2. */
    private static final int COL_TILE = 128;

    private static float red(FloatVector lo, FloatVector hi, float[] t) {
        lo.add(hi).intoArray(t, 0);
        return ScalarDots.reduce(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
    }

    @Override
    public float dot(float[] f, int a, int b, int p) {
        FloatVector lo = FloatVector.zero(S), hi = lo;
        for (int i = 0; i < p; i += 16) {
            lo = FloatVector.fromArray(S, f, a + i).fma(FloatVector.fromArray(S, f, b + i), lo);
            hi = FloatVector.fromArray(S, f, a + i + 8).fma(FloatVector.fromArray(S, f, b + i + 8), hi);
        }
        return red(lo, hi, new float[8]);
    }

    @Override
    public void gram(float[] f, int p, int[] rows, int rowFrom, int rowTo, int[] cols, int colFrom, int colTo,
                     float[] out) {
        int nCols = colTo - colFrom;
        float[] t = new float[8];
        for (int jt = colFrom; jt < colTo; jt += COL_TILE) {
            int jEnd = Math.min(colTo, jt + COL_TILE);
            int i = rowFrom;
            for (; i + 1 < rowTo; i += 2) {
                int a0 = rows[i] * p, a1 = rows[i + 1] * p;
                int o0 = (i - rowFrom) * nCols - colFrom, o1 = o0 + nCols;
                int j = jt;
                for (; j + 3 < jEnd; j += 4) {
                    k24(f, p, a0, a1, cols[j] * p, cols[j + 1] * p, cols[j + 2] * p, cols[j + 3] * p, out, o0 + j,
                            o1 + j, t);
                }
                for (; j < jEnd; j++) {
                    int b = cols[j] * p;
                    out[o0 + j] = dot(f, a0, b, p);
                    out[o1 + j] = dot(f, a1, b, p);
                }
            }
            for (; i < rowTo; i++) {
                int a0 = rows[i] * p;
                int o0 = (i - rowFrom) * nCols - colFrom;
                int j = jt;
                for (; j + 3 < jEnd; j += 4) {
                    k14(f, p, a0, cols[j] * p, cols[j + 1] * p, cols[j + 2] * p, cols[j + 3] * p, out, o0 + j, t);
                }
                for (; j < jEnd; j++) {
                    out[o0 + j] = dot(f, a0, cols[j] * p, p);
                }
            }
        }
    }

    private static void k14(float[] f, int p, int a, int b0, int b1, int b2, int b3, float[] out, int o,
                            float[] t) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0l = z, c0h = z, c1l = z, c1h = z, c2l = z, c2h = z, c3l = z, c3h = z;
        for (int i = 0; i < p; i += 16) {
            FloatVector xl = FloatVector.fromArray(S, f, a + i), xh = FloatVector.fromArray(S, f, a + i + 8);
            c0l = xl.fma(FloatVector.fromArray(S, f, b0 + i), c0l);
            c0h = xh.fma(FloatVector.fromArray(S, f, b0 + i + 8), c0h);
            c1l = xl.fma(FloatVector.fromArray(S, f, b1 + i), c1l);
            c1h = xh.fma(FloatVector.fromArray(S, f, b1 + i + 8), c1h);
            c2l = xl.fma(FloatVector.fromArray(S, f, b2 + i), c2l);
            c2h = xh.fma(FloatVector.fromArray(S, f, b2 + i + 8), c2h);
            c3l = xl.fma(FloatVector.fromArray(S, f, b3 + i), c3l);
            c3h = xh.fma(FloatVector.fromArray(S, f, b3 + i + 8), c3h);
        }
        out[o] = red(c0l, c0h, t); out[o + 1] = red(c1l, c1h, t);
        out[o + 2] = red(c2l, c2h, t); out[o + 3] = red(c3l, c3h, t);
    }

    private static void k24(float[] f, int p, int a0, int a1, int b0, int b1, int b2, int b3, float[] out, int o0,
                            int o1, float[] t) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00l = z, c00h = z, c01l = z, c01h = z, c02l = z, c02h = z, c03l = z, c03h = z;
        FloatVector c10l = z, c10h = z, c11l = z, c11h = z, c12l = z, c12h = z, c13l = z, c13h = z;
        for (int i = 0; i < p; i += 16) {
            FloatVector x0l = FloatVector.fromArray(S, f, a0 + i), x0h = FloatVector.fromArray(S, f, a0 + i + 8);
            FloatVector x1l = FloatVector.fromArray(S, f, a1 + i), x1h = FloatVector.fromArray(S, f, a1 + i + 8);
            FloatVector yl = FloatVector.fromArray(S, f, b0 + i), yh = FloatVector.fromArray(S, f, b0 + i + 8);
            c00l = x0l.fma(yl, c00l); c00h = x0h.fma(yh, c00h); c10l = x1l.fma(yl, c10l); c10h = x1h.fma(yh, c10h);
            yl = FloatVector.fromArray(S, f, b1 + i); yh = FloatVector.fromArray(S, f, b1 + i + 8);
            c01l = x0l.fma(yl, c01l); c01h = x0h.fma(yh, c01h); c11l = x1l.fma(yl, c11l); c11h = x1h.fma(yh, c11h);
            yl = FloatVector.fromArray(S, f, b2 + i); yh = FloatVector.fromArray(S, f, b2 + i + 8);
            c02l = x0l.fma(yl, c02l); c02h = x0h.fma(yh, c02h); c12l = x1l.fma(yl, c12l); c12h = x1h.fma(yh, c12h);
            yl = FloatVector.fromArray(S, f, b3 + i); yh = FloatVector.fromArray(S, f, b3 + i + 8);
            c03l = x0l.fma(yl, c03l); c03h = x0h.fma(yh, c03h); c13l = x1l.fma(yl, c13l); c13h = x1h.fma(yh, c13h);
        }
        out[o0] = red(c00l, c00h, t); out[o0 + 1] = red(c01l, c01h, t);
        out[o0 + 2] = red(c02l, c02h, t); out[o0 + 3] = red(c03l, c03h, t);
        out[o1] = red(c10l, c10h, t); out[o1 + 1] = red(c11l, c11h, t);
        out[o1 + 2] = red(c12l, c12h, t); out[o1 + 3] = red(c13l, c13h, t);
    }
}
