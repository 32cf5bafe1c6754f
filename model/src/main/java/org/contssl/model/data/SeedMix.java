package org.contssl.model.data;

/**
 * Derives independent per-view seeds from one per-sample seed, so a sample's two views never share a random stream
 * and neither depends on which thread runs it. SplitMix64's finaliser (Stafford variant 13) over
 * {@code seed + view · φ}.
 */
public final class SeedMix {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SeedMix() {
    }

    /** Seed of view {@code view} (1 or 2 for SimSiam) of the sample seeded {@code sampleSeed}. */
    public static long viewSeed(long sampleSeed, int view) {
        return mix(sampleSeed + view * GOLDEN);
    }

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
