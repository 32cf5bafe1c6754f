package org.contssl.storage.internal;

/**
 * Reservoir sampling over the stream (Vitter's algorithm R): once full, the t-th item (0-based) replaces a uniformly
 * chosen entry with probability capacity / (t + 1), so every item seen so far is held with equal probability. The
 * newcomer takes its predecessor's place in the buffer order.
 */
final class ReservoirEviction implements EvictionPolicy {
    private final Shard shard;

    ReservoirEviction(Shard shard) {
        this.shard = shard;
    }

    @Override
    public void insert(long[] ids, int[] labels, int from, int to) {
        Shard sh = shard;
        EntryTable t = sh.entries;
        for (int i = from; i < to; i++) {
            long seen = sh.itemsSeen++;
            if (sh.size < sh.cap) {
                sh.order[sh.size++] = sh.newEntry(ids[i], labels[i]);
                continue;
            }
            long j = sh.evictRng.nextLong(seen + 1);
            if (j < sh.cap) {
                int old = sh.order[(int) j];
                long key = t.orderKey.get(old);
                sh.recordEviction(t.idx.get(old));
                sh.freeSlot(old);
                int s = sh.newEntry(ids[i], labels[i]);
                t.orderKey.set(s, key);
                sh.order[(int) j] = s;
            }
        }
    }
}
