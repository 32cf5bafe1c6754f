package org.contssl.storage.internal;

import java.util.Arrays;

/** First in, first out (the reference's {@code simple} buffer): the oldest entries leave. */
final class FifoEviction implements EvictionPolicy {
    private final Shard shard;

    FifoEviction(Shard shard) {
        this.shard = shard;
    }

    @Override
    public void insert(long[] ids, int[] labels, int from, int to) {
        shard.appendAll(ids, labels, from, to);
        int n = shard.size - shard.cap;
        if (n > 0) {
            shard.removeAll(Arrays.copyOf(shard.order, n), n);
        }
    }
}
