package org.contssl.model.data;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Resampler}'s vertical pass for one output row on jdk.incubator.vector lanes: each lane is one output pixel
 * and sums its taps from zero in tap order, as the scalar definition, so the floats are bit-identical; the sum stays
 * in a register across taps instead of going through the output array once per tap. Only loaded when the incubator
 * module is present ({@link Resampler#VECTORIZED}).
 */
final class VectorResample {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorResample() {
    }

    /** {@code dst[d + x] = Σ_k w[wb + k] * tmp[r0 + k * stride + x]} for {@code x < len}, k in order from zero. */
    static void row(float[] tmp, int r0, int stride, float[] w, int wb, int n, float[] dst, int d, int len) {
        int x = 0;
        for (int bound = S.loopBound(len); x < bound; x += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int k = 0; k < n; k++) {
                acc = acc.add(FloatVector.fromArray(S, tmp, r0 + k * stride + x).mul(w[wb + k]));
            }
            acc.intoArray(dst, d + x);
        }
        for (; x < len; x++) {
            float acc = 0;
            for (int k = 0; k < n; k++) {
                acc += w[wb + k] * tmp[r0 + k * stride + x];
            }
            dst[d + x] = acc;
        }
    }
}
