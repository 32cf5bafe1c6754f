package org.contssl.storage.internal;

/**
 * Feature arithmetic of the MinRed statistics update (docs/reference-system.md, "MinRed's eviction rule"), in one
 * fixed float/double order.
 */
public final class Features {
    private Features() {}

    /** dst = normalize(½ dst + ½ f): halves in float, norm accumulated in double, components divided in double. */
    public static void blendInto(float[] dst, int base, float[] f, int dim) {
        double ss = 0;
        for (int i = 0; i < dim; i++) {
            float h = 0.5f * dst[base + i] + 0.5f * f[i];
            dst[base + i] = h;
            ss += (double) h * h;
        }
        double norm = Math.sqrt(ss);
        if (norm > 0) {
            for (int i = 0; i < dim; i++) {
                dst[base + i] = (float) (dst[base + i] / norm);
            }
        }
    }
}
