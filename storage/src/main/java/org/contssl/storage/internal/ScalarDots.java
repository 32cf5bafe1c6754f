package org.contssl.storage.internal;

/** Canonical arithmetic of {@link Dots} in plain Java: the fallback kernel and the yardstick for the vector one. */
final class ScalarDots implements Dots.Kernel {
    static final ScalarDots INSTANCE = new ScalarDots();

    @Override
    public float dot(float[] f, int a, int b, int p) {
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        float a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0;
        for (int i = 0; i < p; i += Dots.LANES) {
            int x = a + i, y = b + i;
            a0 = Math.fma(f[x], f[y], a0);
            a1 = Math.fma(f[x + 1], f[y + 1], a1);
            a2 = Math.fma(f[x + 2], f[y + 2], a2);
            a3 = Math.fma(f[x + 3], f[y + 3], a3);
            a4 = Math.fma(f[x + 4], f[y + 4], a4);
            a5 = Math.fma(f[x + 5], f[y + 5], a5);
            a6 = Math.fma(f[x + 6], f[y + 6], a6);
            a7 = Math.fma(f[x + 7], f[y + 7], a7);
            a8 = Math.fma(f[x + 8], f[y + 8], a8);
            a9 = Math.fma(f[x + 9], f[y + 9], a9);
            a10 = Math.fma(f[x + 10], f[y + 10], a10);
            a11 = Math.fma(f[x + 11], f[y + 11], a11);
            a12 = Math.fma(f[x + 12], f[y + 12], a12);
            a13 = Math.fma(f[x + 13], f[y + 13], a13);
            a14 = Math.fma(f[x + 14], f[y + 14], a14);
            a15 = Math.fma(f[x + 15], f[y + 15], a15);
        }
        return reduce(a0 + a8, a1 + a9, a2 + a10, a3 + a11, a4 + a12, a5 + a13, a6 + a14, a7 + a15);
    }

    /** The fixed reduction tree over the eight half-sums s[l] = acc[l] + acc[l+8]. */
    static float reduce(float s0, float s1, float s2, float s3, float s4, float s5, float s6, float s7) {
        float a = s0 + s4, b = s1 + s5, c = s2 + s6, d = s3 + s7;
        return (a + c) + (b + d);
    }
}
