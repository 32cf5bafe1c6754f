package org.contssl.core;

/**
 * SplitMix64 (Steele, Lea, Flood 2014): the finaliser that every seed derivation in contssl uses, and a generator
 * whose whole state is one long, so a checkpoint can store and restore it exactly (java.util.Random and
 * SplittableRandom hide theirs). The constants are part of every stored result: never change them.
 */
public final class SplitMix64 {

    /** The golden-ratio increment of SplitMix64's state. */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long state) {
        this.state = state;
    }

    /** SplitMix64's finaliser (Stafford's variant 13): a bijection that spreads nearby inputs over all 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Seed for a numbered purpose: distinct purposes give unrelated streams from the same run seed. */
    public static long derive(long seed, long purpose) {
        return mix(seed ^ mix(purpose + 0x632BE59BD9B4E019L));
    }

    public long state() {
        return state;
    }

    public void setState(long s) {
        state = s;
    }

    public long nextLong() {
        return mix(state += GOLDEN);
    }

    /** Uniform in [0, bound) without modulo bias (rejection on the top range). */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = bound - 1;
        long r = nextLong() >>> 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // reject values from the incomplete last block
        }
        return r;
    }

    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }
}
