package org.contssl.model.data;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Workspace#write}'s per-row normalisation {@code v * a + b} on jdk.incubator.vector lanes, mirrored by a lane
 * reversal when the view is flipped: the same multiply and add per float as the scalar loop, so bit-identical. The
 * scalar loop stayed scalar (the JIT does not vectorise the reversed index). Only loaded when the incubator module is
 * present ({@link Workspace#VECTORIZED}).
 */
final class VectorNormalize {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorShuffle<Float> REVERSE = VectorShuffle.fromOp(S, i -> L - 1 - i);

    private VectorNormalize() {
    }

    /** {@code out[o + x] = img[row + (flip ? size - 1 - x : x)] * a + b} for {@code x < size}. */
    static void row(float[] img, int row, int size, boolean flip, float a, float b, float[] out, int o) {
        int x = 0;
        int bound = S.loopBound(size);
        if (flip) {
            for (; x < bound; x += L) {
                // source floats row + size - x - L .. row + size - 1 - x, reversed
                FloatVector.fromArray(S, img, row + size - x - L).rearrange(REVERSE).mul(a).add(b)
                        .intoArray(out, o + x);
            }
            for (; x < size; x++) {
                out[o + x] = img[row + size - 1 - x] * a + b;
            }
        } else {
            for (; x < bound; x += L) {
                FloatVector.fromArray(S, img, row + x).mul(a).add(b).intoArray(out, o + x);
            }
            for (; x < size; x++) {
                out[o + x] = img[row + x] * a + b;
            }
        }
    }
}
