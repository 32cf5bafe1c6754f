package org.contssl.model.data;

import org.contssl.core.SplitMix64;
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

        return SplitMix64.mix(z);

    }
}
