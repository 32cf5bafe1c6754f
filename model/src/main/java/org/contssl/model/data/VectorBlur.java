package org.contssl.model.data;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GaussianBlur}'s column pass on jdk.incubator.vector lanes: each lane is one column and performs the scalar
 * pass's additions and multiplications on the same operands in the same order, so the floats are bit-identical.
 * C2's auto-vectoriser left the scalar loops scalar (source and destination may be one array at different offsets),
 * which made this pass about 1 ns per pixel. Columns past the last full vector take the scalar loop. Only loaded when
 * the incubator module is present ({@link GaussianBlur#VECTORIZED}).
 */
final class VectorBlur {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorBlur() {
    }

    /** Same contract as {@link GaussianBlur}'s scalar column pass. */
    static void boxColumns(float[] src, int srcOff, float[] dst, int base, int w, int h, double radius,
                           float[] acc) {
        int r = (int) radius;
        float frac = (float) (radius - r);
        float inv = (float) (1.0 / (2 * radius + 1));
        int e = r + 1;
        int bound = S.loopBound(w);
        // padded row k (0 .. h + 2e) is source row clamp(k - e, 0, h - 1): edges replicated
        for (int x = 0; x < w; x++) {
            acc[x] = 0;
        }
        for (int k = 1; k <= 2 * r + 1; k++) {
            int row = srcOff + Math.min(Math.max(k - e, 0), h - 1) * w;
            int x = 0;
            for (; x < bound; x += L) {
                FloatVector.fromArray(S, acc, x).add(FloatVector.fromArray(S, src, row + x)).intoArray(acc, x);
            }
            for (; x < w; x++) {
                acc[x] += src[row + x];
            }
        }
        for (int y = 0; y < h; y++) {
            int lo = srcOff + Math.min(Math.max(y - e, 0), h - 1) * w;
            int hi = srcOff + Math.min(Math.max(y + 2 * r + 2 - e, 0), h - 1) * w;
            int next = srcOff + Math.min(Math.max(y + 1 - e, 0), h - 1) * w;
            int out = base + y * w;
            boolean more = y + 1 < h;
            int x = 0;
            for (; x < bound; x += L) {
                FloatVector a = FloatVector.fromArray(S, acc, x);
                FloatVector vh = FloatVector.fromArray(S, src, hi + x);
                FloatVector.fromArray(S, src, lo + x).add(vh).mul(frac).add(a).mul(inv).intoArray(dst, out + x);
                if (more) {
                    a.add(vh.sub(FloatVector.fromArray(S, src, next + x))).intoArray(acc, x);
                }
            }
            for (; x < w; x++) {
                dst[out + x] = (acc[x] + frac * (src[lo + x] + src[hi + x])) * inv;
                if (more) {
                    acc[x] += src[hi + x] - src[next + x];
                }
            }
        }
    }
}
