package org.contssl.lists.stream;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.contssl.core.SplitMix64;

/**
 * Seed derivation: every random choice in this module draws from {@code derive(runSeed, purpose, index)}, never from
 * a shared generator, so results do not depend on call order or thread scheduling.
 */
public final class Seeds {

    private Seeds() {
    }

    /** A well-mixed seed for one purpose (e.g. "fmnist-train-split") under a run seed. */
    public static long derive(long seed, String purpose) {
        long h = 0xcbf29ce484222325L;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(seed ^ mix(h));
    }

    public static long derive(long seed, String purpose, long index) {
        return mix(derive(seed, purpose) + 0x9e3779b97f4a7c15L * (index + 1));
    }

    /** SplitMix64's finaliser (one implementation, in core). */
    static long mix(long z) {
        return SplitMix64.mix(z);
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates) determined by {@code seed}. */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, seed);
        return p;
    }

    public static void shuffle(int[] a, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
