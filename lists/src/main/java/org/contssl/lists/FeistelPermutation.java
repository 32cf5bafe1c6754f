package org.contssl.lists;

import org.contssl.core.SplitMix64;

/**
 * A seeded bijection of {@code [0, n)} that needs no memory: a balanced Feistel network over the smallest even number
 * of bits covering {@code n - 1}, restricted to {@code [0, n)} by cycle walking (applying the network again while
 * the result falls outside the range, which stays inside the cycle of the start and so keeps the map a bijection).
 * Both directions are O(1): a domain of at most {@code 4n} means fewer than four walks on average.
 *
 * <p>This is the order an own memmap list is shuffled in (see {@code docs/large-lists.md}): position {@code p} of the
 * shuffled stream holds source record {@link #apply apply(p)}. A shuffle of 500M records would otherwise need a 4 GB
 * permutation array; this one is six round keys. The round function is SplitMix64's finaliser and the round keys come
 * from SplitMix64 seeded with the given seed: both are part of every stored own-list stream, so never change them.
 */
public final class FeistelPermutation {

    /** Luby–Rackoff: four rounds of a pseudo-random function already give a pseudo-random permutation. */
    static final int ROUNDS = 6;

    /** Keeps the doubled half width within 62 bits, so every value stays a non-negative long. */
    public static final long MAX_SIZE = 1L << 62;

    private final long n;
    private final int halfBits;
    private final long halfMask;
    private final long[] keys = new long[ROUNDS];

    /** The permutation of {@code [0, n)} for {@code seed}. */
    public FeistelPermutation(long n, long seed) {
        if (n < 0 || n > MAX_SIZE) {
            throw new IllegalArgumentException("permutation size " + n + " outside [0, 2^62]");
        }
        this.n = n;
        int bits = n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
        this.halfBits = (bits + 1) / 2;
        this.halfMask = (1L << halfBits) - 1;
        SplitMix64 g = new SplitMix64(seed);
        for (int r = 0; r < ROUNDS; r++) {
            keys[r] = g.nextLong();
        }
    }

    public long size() {
        return n;
    }

    /** The source index at position {@code p}. */
    public long apply(long p) {
        check(p);
        long x = p;
        do {
            x = encrypt(x);
        } while (x >= n);
        return x;
    }

    /** The position of source index {@code i}: {@code inverse(apply(p)) == p}. */
    public long inverse(long i) {
        check(i);
        long x = i;
        do {
            x = decrypt(x);
        } while (x >= n);
        return x;
    }

    private long encrypt(long x) {
        long l = x >>> halfBits;
        long r = x & halfMask;
        for (int k = 0; k < ROUNDS; k++) {
            long t = l ^ round(r, k);
            l = r;
            r = t;
        }
        return (l << halfBits) | r;
    }

    private long decrypt(long x) {
        long l = x >>> halfBits;
        long r = x & halfMask;
        for (int k = ROUNDS - 1; k >= 0; k--) {
            long t = r ^ round(l, k);
            r = l;
            l = t;
        }
        return (l << halfBits) | r;
    }

    private long round(long half, int k) {
        return SplitMix64.mix(half ^ keys[k]) & halfMask;
    }

    private void check(long i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("index " + i + " outside [0, " + n + ")");
        }
    }
}
