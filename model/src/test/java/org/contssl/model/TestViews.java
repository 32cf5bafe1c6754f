package org.contssl.model;

import java.util.Random;

/** Deterministic pseudo-images for trainer tests. */
final class TestViews {
    private TestViews() {}

    static float[] random(SimSiamSpec spec, int batch, long seed) {
        Random r = new Random(seed);
        float[] v = new float[batch * spec.imageFloats()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
