package org.contssl.storage;

import java.util.Random;

/** Deterministic synthetic projector features for buffer tests: f(stream position, update number). */
final class TestFeatures {
    enum Kind {
        /** Independent random directions. */
        RANDOM,
        /** A few cluster centres plus moderate noise. */
        CLUSTERED,
        /** Runs of 8 consecutive stream positions share a direction, with tiny noise (video-like). */
        NEAR_DUPLICATE,
        /** Coarsely quantised directions from a tiny set: many exactly equal cosines (tie-breaking). */
        QUANTIZED
    }

    final Kind kind;
    final int dim;
    final long seed;

    TestFeatures(Kind kind, int dim, long seed) {
        this.kind = kind;
        this.dim = dim;
        this.seed = seed;
    }

    private float[] gaussian(Random r) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static float[] normalize(float[] v) {
        double ss = 0;
        for (float x : v) {
            ss += (double) x * x;
        }
        double n = Math.sqrt(ss);
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = (float) (v[i] / n);
        }
        return o;
    }

    float[] feature(long streamIdx, int update) {
        Random noise = new Random(seed * 1_000_003L + streamIdx * 7919L + update);
        switch (kind) {
            case RANDOM:
                return normalize(gaussian(noise));
            case CLUSTERED: {
                float[] c = gaussian(new Random(seed + 31L * Math.floorMod(streamIdx * 2654435761L, 5)));
                float[] v = gaussian(noise);
                for (int i = 0; i < dim; i++) {
                    v[i] = c[i] + 0.6f * v[i];
                }
                return normalize(v);
            }
            case NEAR_DUPLICATE: {
                float[] c = gaussian(new Random(seed * 17 + streamIdx / 8));
                float[] v = gaussian(noise);
                for (int i = 0; i < dim; i++) {
                    v[i] = c[i] + 0.01f * v[i];
                }
                return normalize(v);
            }
            default: {
                // directions from {-1, 0, 1}^dim restricted to 3 nonzero coordinates out of a few positions
                float[] v = new float[dim];
                int a = noise.nextInt(3), b = 3 + noise.nextInt(2);
                v[a] = 1;
                v[b] = noise.nextBoolean() ? 1 : -1;
                v[5 % dim] += 1;
                return normalize(v);
            }
        }
    }
}
