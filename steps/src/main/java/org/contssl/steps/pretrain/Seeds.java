package org.contssl.steps.pretrain;

import org.contssl.core.SplitMix64;
/**
 * Every random draw of a run derives from (run seed, purpose, a, b) instead of a shared generator, so results
 * do not depend on thread scheduling and a resumed run equals an uninterrupted one without replaying history.
 * The mixing is SplitMix64's finaliser applied in sequence (well distributed, cheap, and stable across JDKs).
 */
public final class Seeds {

    /** What a seed is for; the ordinal is part of the derivation, so never reorder these. */
    public enum Purpose { MODEL_INIT, BUFFER_SAMPLING, AUGMENT_VIEW1, AUGMENT_VIEW2, STREAM_ORDER, PROBE, EPOCH_ORDER,
        VIDEO_FRAME }

    private Seeds() {
    }

    public static long derive(long seed, Purpose purpose, long a, long b) {
        long h = mix(seed ^ 0x5DEECE66DL);
        h = mix(h ^ (purpose.ordinal() + 1) * 0x9E3779B97F4A7C15L);
        h = mix(h ^ a * 0xBF58476D1CE4E5B9L);
        return mix(h ^ b * 0x94D049BB133111EBL);
    }

    public static long derive(long seed, Purpose purpose) {
        return derive(seed, purpose, 0, 0);
    }

    private static long mix(long z) {

        return SplitMix64.mix(z);

    }
}
