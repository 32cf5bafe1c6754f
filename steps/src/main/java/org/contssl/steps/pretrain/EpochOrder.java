package org.contssl.steps.pretrain;

import java.util.SplittableRandom;

/** The seeded per-epoch visiting order of a conventional multi-epoch run (epoch 0 is the list's own order). */
final class EpochOrder {

    private EpochOrder() {
    }

    static long[] permutation(long length, long seed, int epoch) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("multi-epoch runs support streams of up to 2^31 records, got " + length);
        }
        long[] order = new long[(int) length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, Seeds.Purpose.EPOCH_ORDER, epoch, 0));
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
