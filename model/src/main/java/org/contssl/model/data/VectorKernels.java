package org.contssl.model.data;

import java.util.function.BooleanSupplier;

/**
 * The one rule every augmentation kernel on {@code jdk.incubator.vector} lanes follows (docs/performance.md, "Input
 * pipeline"): it runs only if it was not switched off ({@code -D<property>=true}), the incubator module is in the boot
 * layer, and its self-check — the vector kernel against the scalar one on a small input — gives the same bits.
 * Anything else (an absent module, a JIT or platform that rounds differently, any throwable) selects the scalar
 * kernel, so a view's floats never depend on which path ran.
 */
final class VectorKernels {

    private VectorKernels() {
    }

    static boolean enabled(String scalarProperty, BooleanSupplier selfCheck) {
        if (Boolean.getBoolean(scalarProperty)) {
            return false;
        }
        try {
            return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && selfCheck.getAsBoolean();
        } catch (Throwable t) {
            return false;
        }
    }

    /** {@code n} pseudo-random values in [offset, offset + scale) from a 64-bit LCG: a self-check's input. */
    static float[] plane(int n, long seed, float scale, float offset) {
        float[] a = new float[n];
        long s = seed;
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            a[i] = (float) ((s >>> 40) / (double) (1L << 24) * scale + offset);
        }
        return a;
    }

    /** Whether the first {@code len} floats of both arrays are the same bits. */
    static boolean sameBits(float[] a, float[] b, int len) {
        for (int i = 0; i < len; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }
}
