package org.contssl.storage.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Minimum-redundancy eviction (docs/reference-system.md, "MinRed's eviction rule"): after appending, the
 * n = size - capacity entries to evict are chosen among the trained ones; with fewer than 2n trained entries the n
 * oldest go, otherwise repeatedly the entry whose nearest remaining trained neighbour is most similar, ties to the
 * earliest in buffer order. The {@link NeighbourIndex} beside it keeps each trained entry's nearest neighbours up to
 * date incrementally; afterwards every trained entry's nearest-neighbour similarity is stored for the diagnostics.
 */
final class MinRedEviction implements EvictionPolicy {
    private final Shard shard;
    final NeighbourIndex nn;

    MinRedEviction(Shard shard) {
        this.shard = shard;
        this.nn = new NeighbourIndex(shard.entries, shard.entries.slotCount());
    }

    @Override
    public void insert(long[] ids, int[] labels, int from, int to) {
        shard.appendAll(ids, labels, from, to);
        int n = shard.size - shard.cap;
        if (n > 0) {
            evict(n);
        }
    }

    private void evict(int n) {
        Shard sh = shard;
        EntryTable t = sh.entries;
        int[] cands = new int[sh.size];
        int m = sh.candidates(cands);
        nn.sync(cands, m);
        int[] gone;
        if (m < 2 * n) {
            // too few trained entries: the n largest lifespans, ties by buffer position
            Integer[] pos = new Integer[sh.size];
            for (int p = 0; p < sh.size; p++) {
                pos[p] = p;
            }
            int[] order = sh.order;
            Arrays.sort(pos, (a, b) -> t.birth.get(order[a]) != t.birth.get(order[b])
                    ? Long.compare(t.birth.get(order[a]), t.birth.get(order[b])) : Integer.compare(a, b));
            gone = new int[n];
            for (int i = 0; i < n; i++) {
                gone[i] = order[pos[i]];
            }
            sh.lastOldestFirst = n;
            for (int i = 0; i < n; i++) {
                if (t.seen.get(gone[i])) {
                    nn.forget(gone[i], cands, m);
                }
            }
        } else {
            gone = nn.evictGreedy(cands, m, n);
        }
        sh.removeAll(gone, n);
        m = sh.candidates(cands);
        nn.settle(cands, m);
        for (int i = 0; i < m; i++) {
            int c = cands[i];
            float k = nn.key(c);
            float v = k == Float.NEGATIVE_INFINITY ? Float.NaN : k;
            if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(t.nnSim.get(c))) {
                t.nnSim.set(c, v);
                sh.nnChanged(c);
            }
        }
    }

    @Override
    public void grown(int slots) {
        nn.grow(slots);
    }

    @Override
    public void cleared(int slots) {
        nn.grow(slots);
        for (int s = 0; s < slots; s++) {
            nn.reset(s);
        }
    }

    @Override
    public void added(int s) {
        nn.reset(s);
    }

    @Override
    public void updated(int s) {
        nn.markDirty(s);
    }

    @Override
    public void dropping(int s) {
        int[] cands = new int[shard.size];
        int m = shard.candidates(cands);
        nn.forget(s, cands, m);
    }

    /** The map keeps no neighbour lists: a loaded trained entry is recomputed at the next eviction. */
    @Override
    public void loaded(int s) {
        nn.reset(s);
        if (shard.entries.seen.get(s)) {
            nn.markDirty(s);
        }
    }

    @Override
    public void writeTrained(DataOutput out, int s) throws IOException {
        out.writeBoolean(nn.dirty[s]);
        out.writeByte(nn.cnt[s]);
        out.writeFloat(nn.bound[s]);
        for (int j = 0; j < nn.cnt[s]; j++) {
            out.writeInt(nn.nb[s * NeighbourIndex.K + j]);
            out.writeFloat(nn.nv[s * NeighbourIndex.K + j]);
        }
    }

    @Override
    public void readTrained(DataInput in, int s, String source) throws IOException {
        nn.dirty[s] = in.readBoolean();
        int c = in.readByte();
        if (c < 0 || c > NeighbourIndex.K) {
            throw new BufferSnapshot.Malformed(source + ": bad neighbour list length " + c);
        }
        nn.cnt[s] = (byte) c;
        nn.bound[s] = in.readFloat();
        for (int j = 0; j < c; j++) {
            nn.nb[s * NeighbourIndex.K + j] = shard.entries.checkSlot(in.readInt(), source);
            nn.nv[s * NeighbourIndex.K + j] = in.readFloat();
        }
    }
}
