package org.contssl.model.nn;

import org.contssl.core.SplitMix64;
import java.util.Random;

/**
 * Initial values drawn in Java, one generator per tensor seeded from (init seed, tensor name): the initial weights are
 * then identical on every machine, thread count and engine version, and adding a layer does not shift the others.
 */
final class Init {
    private Init() {}

    static Random rng(long seed, String name) {
        long z = seed ^ (0x9E3779B97F4A7C15L * (name.hashCode() + 0x632BE59BD9B4E019L));
        // SplitMix64 finaliser: spreads nearby seeds / names over the whole state space
        return new Random(SplitMix64.mix(z));
    }

    static float[] normal(Random r, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * std);
        }
        return out;
    }

    static float[] uniform(Random r, int n, double bound) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((2 * r.nextDouble() - 1) * bound);
        }
        return out;
    }

    static float[] constant(int n, float value) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, value);
        return out;
    }
}
