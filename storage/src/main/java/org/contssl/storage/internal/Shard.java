package org.contssl.storage.internal;

import org.contssl.core.SplitMix64;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import org.contssl.storage.BufferPolicy;

/**
 * One independent buffer (one virtual shard): entries in slots, a buffer order over the slots (oldest first), the
 * policy's insertion/eviction, uniform sampling and the statistics update. This in-memory mirror is what the
 * algorithms read; {@link BufferFile} keeps the Chronicle Map copy in step after every operation.
 */
public final class Shard {
    final int shardNo;
    final BufferPolicy policy;
    final int cap;
    final int dim;
    final int stride;
    final int limitNumSeen;

    int slotCap;
    long[] idx;
    long[] seq;
    long[] orderKey;
    /** Chunk count at insertion: lifespan (age in incoming chunks, 1 = newest) = chunks - birth + 1. */
    long[] birth;
    int[] numSeen;
    int[] label;
    boolean[] seen;
    boolean[] alive;
    float[] loss;
    float[] sim;
    float[] nnSim;
    float[] feat;

    int[] order;
    int size;
    private int[] free;
    private int freeTop;

    long nextSeq;
    long itemsSeen;
    long chunks;
    final SplitMix64 sampleRng;
    final SplitMix64 evictRng;
    final HashMap<Long, Integer> slotOf = new HashMap<>();
    final NeighbourIndex nn;

    /** Slots changed since the last flush to the durable file. */
    private boolean[] touched;
    int[] touchedList;
    int touchedCount;
    /**
     * Slots whose neighbour similarity changed: it is stored in block records (many per record), because after an
     * eviction it changes for thousands of entries whose other fields did not.
     */
    private boolean[] nnTouched;
    int[] nnTouchedList;
    int nnTouchedCount;

    private int[] perm;
    /** Slots evicted by the last insert, in eviction order (for tests and the benchmark). */
    long[] lastEvicted = new long[0];

    public Shard(int shardNo, BufferPolicy policy, int cap, int dim, long seed, int limitNumSeen) {
        this.shardNo = shardNo;
        this.policy = policy;
        this.cap = cap;
        this.dim = dim;
        this.stride = Dots.stride(dim);
        this.limitNumSeen = limitNumSeen;
        this.sampleRng = new SplitMix64(SplitMix64.derive(seed, 1000L * shardNo + 1));
        this.evictRng = new SplitMix64(SplitMix64.derive(seed, 1000L * shardNo + 2));
        allocate(cap + 16);
        this.nn = policy == BufferPolicy.MINRED ? new NeighbourIndex(this, slotCap) : null;
    }

    private void allocate(int n) {
        slotCap = n;
        idx = new long[n];
        seq = new long[n];
        orderKey = new long[n];
        birth = new long[n];
        numSeen = new int[n];
        label = new int[n];
        seen = new boolean[n];
        alive = new boolean[n];
        loss = new float[n];
        sim = new float[n];
        nnSim = new float[n];
        Arrays.fill(nnSim, Float.NaN);
        feat = new float[n * stride];
        order = new int[n];
        touched = new boolean[n];
        touchedList = new int[n];
        nnTouched = new boolean[n];
        nnTouchedList = new int[n];
        nnTouchedCount = 0;
        touchedCount = 0;
        perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        free = new int[n];
        freeTop = 0;
        for (int s = n - 1; s >= 0; s--) {
            free[freeTop++] = s;
        }
    }

    private void grow(int need) {
        int old = slotCap;
        int n = Math.max(old + need, old + old / 8 + 64);
        slotCap = n;
        idx = Arrays.copyOf(idx, n);
        seq = Arrays.copyOf(seq, n);
        orderKey = Arrays.copyOf(orderKey, n);
        birth = Arrays.copyOf(birth, n);
        numSeen = Arrays.copyOf(numSeen, n);
        label = Arrays.copyOf(label, n);
        seen = Arrays.copyOf(seen, n);
        alive = Arrays.copyOf(alive, n);
        loss = Arrays.copyOf(loss, n);
        sim = Arrays.copyOf(sim, n);
        nnSim = Arrays.copyOf(nnSim, n);
        Arrays.fill(nnSim, old, n, Float.NaN);
        feat = Arrays.copyOf(feat, n * stride);
        order = Arrays.copyOf(order, n);
        touched = Arrays.copyOf(touched, n);
        touchedList = Arrays.copyOf(touchedList, n);
        nnTouched = Arrays.copyOf(nnTouched, n);
        nnTouchedList = Arrays.copyOf(nnTouchedList, n);
        perm = Arrays.copyOf(perm, n);
        for (int i = old; i < n; i++) {
            perm[i] = i;
        }
        int[] nf = new int[n];
        System.arraycopy(free, 0, nf, 0, freeTop);
        free = nf;
        // new slots go below the existing free ones so the lowest free slot is still handed out first
        System.arraycopy(free, 0, free, n - old, freeTop);
        int k = 0;
        for (int s = n - 1; s >= old; s--) {
            free[k++] = s;
        }
        freeTop += n - old;
        if (nn != null) {
            nn.grow(n);
        }
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return cap;
    }

    private void touch(int s) {
        if (!touched[s]) {
            touched[s] = true;
            touchedList[touchedCount++] = s;
        }
    }

    private void touchNn(int s) {
        if (!nnTouched[s]) {
            nnTouched[s] = true;
            nnTouchedList[nnTouchedCount++] = s;
        }
    }

    /** Clears the changed-slot lists after the durable copy has been brought up to date. */
    void clearTouched() {
        for (int i = 0; i < touchedCount; i++) {
            touched[touchedList[i]] = false;
        }
        touchedCount = 0;
        for (int i = 0; i < nnTouchedCount; i++) {
            nnTouched[nnTouchedList[i]] = false;
        }
        nnTouchedCount = 0;
    }

    private int newEntry(long streamIdx, int lab) {
        if (freeTop == 0) {
            grow(64);
        }
        int s = free[--freeTop];
        idx[s] = streamIdx;
        seq[s] = nextSeq++;
        orderKey[s] = seq[s];
        birth[s] = chunks;
        numSeen[s] = 0;
        label[s] = lab;
        seen[s] = false;
        alive[s] = true;
        loss[s] = 0;
        sim[s] = 0;
        if (!Float.isNaN(nnSim[s])) {
            touchNn(s); // a reused slot must not inherit the previous entry's stored value
        }
        nnSim[s] = Float.NaN;
        Arrays.fill(feat, s * stride, (s + 1) * stride, 0f);
        if (nn != null) {
            nn.reset(s);
        }
        slotOf.put(streamIdx, s);
        touch(s);
        return s;
    }

    private void freeSlot(int s) {
        alive[s] = false;
        slotOf.remove(idx[s]);
        free[freeTop++] = s;
        touch(s);
    }

    public boolean contains(long streamIdx) {
        return slotOf.containsKey(streamIdx);
    }

    /** One piece of an incoming chunk. */
    public void insert(long[] ids, int[] labels, int from, int to) {
        chunks++;
        lastEvicted = new long[0];
        if (policy == BufferPolicy.RESERVOIR) {
            for (int i = from; i < to; i++) {
                long t = itemsSeen++;
                if (size < cap) {
                    order[size++] = newEntry(ids[i], labels[i]);
                } else {
                    long j = evictRng.nextLong(t + 1);
                    if (j < cap) {
                        int old = order[(int) j];
                        long key = orderKey[old];
                        lastEvicted = append(lastEvicted, idx[old]);
                        freeSlot(old);
                        int s = newEntry(ids[i], labels[i]);
                        orderKey[s] = key; // takes the replaced entry's place in the buffer order
                        order[(int) j] = s;
                    }
                }
            }
            return;
        }
        for (int i = from; i < to; i++) {
            if (size == order.length) {
                grow(to - i);
            }
            order[size++] = newEntry(ids[i], labels[i]);
            itemsSeen++;
        }
        int n = size - cap;
        if (n <= 0) {
            return;
        }
        if (policy == BufferPolicy.FIFO) {
            int[] gone = Arrays.copyOf(order, n);
            removeAll(gone, n);
        } else {
            resize(n);
        }
    }

    private static long[] append(long[] a, long v) {
        long[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /** Age in incoming chunks (the reference's lifespan): 1 for entries of the latest chunk. */
    int lifespan(int s) {
        return (int) (chunks - birth[s] + 1);
    }

    /** Removes the given slots and compacts the order (survivors keep their relative order). */
    private void removeAll(int[] slots, int n) {
        long[] ev = new long[n];
        for (int i = 0; i < n; i++) {
            ev[i] = idx[slots[i]];
            freeSlot(slots[i]);
        }
        lastEvicted = ev;
        int w = 0;
        for (int p = 0; p < size; p++) {
            if (alive[order[p]]) {
                order[w++] = order[p];
            }
        }
        size = w;
    }

    /** Trained entries in buffer order. */
    private int candidates(int[] out) {
        int m = 0;
        for (int p = 0; p < size; p++) {
            int s = order[p];
            if (seen[s]) {
                out[m++] = s;
            }
        }
        return m;
    }

    /** MinRed eviction of n = size - capacity entries (§7.4), then the neighbour-similarity tracking. */
    private void resize(int n) {
        int[] cands = new int[size];
        int m = candidates(cands);
        nn.sync(cands, m);
        int[] gone;
        if (m < 2 * n) {
            // FIFO fallback: the n largest lifespans, ties by buffer position
            Integer[] pos = new Integer[size];
            for (int p = 0; p < size; p++) {
                pos[p] = p;
            }
            Arrays.sort(pos, (a, b) -> birth[order[a]] != birth[order[b]]
                    ? Long.compare(birth[order[a]], birth[order[b]]) : Integer.compare(a, b));
            gone = new int[n];
            for (int i = 0; i < n; i++) {
                gone[i] = order[pos[i]];
            }
            for (int i = 0; i < n; i++) {
                if (seen[gone[i]]) {
                    nn.forget(gone[i], cands, m);
                }
            }
        } else {
            gone = nn.evictGreedy(cands, m, n);
        }
        removeAll(gone, n);
        m = candidates(cands);
        nn.settle(cands, m);
        for (int i = 0; i < m; i++) {
            int c = cands[i];
            float k = nn.key(c);
            float v = k == Float.NEGATIVE_INFINITY ? Float.NaN : k;
            if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(nnSim[c])) {
                nnSim[c] = v;
                touchNn(c);
            }
        }
    }

    /** Draws {@code k} stream positions uniformly (distinct unless the shard holds fewer than k). */
    public void sample(int k, long[] out, int at) {
        if (size == 0) {
            throw new IllegalStateException("replay buffer shard " + shardNo
                    + " is empty; sample only after the fill phase has inserted data");
        }
        if (size < k) {
            for (int i = 0; i < k; i++) {
                out[at + i] = idx[order[sampleRng.nextInt(size)]];
            }
            return;
        }
        // partial Fisher-Yates over positions, undone afterwards so perm stays the identity
        int[] swaps = new int[k];
        for (int i = 0; i < k; i++) {
            int j = i + sampleRng.nextInt(size - i);
            swaps[i] = j;
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            out[at + i] = idx[order[perm[i]]];
        }
        for (int i = k - 1; i >= 0; i--) {
            int j = swaps[i];
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }

    /** Applies one sample's statistics if its position is held here; returns whether it was. */
    public boolean updateStats(long streamIdx, float l, float s, float[] f) {
        Integer slot = slotOf.get(streamIdx);
        if (slot == null) {
            return false;
        }
        int e = slot;
        int base = e * stride;
        if (!seen[e]) {
            System.arraycopy(f, 0, feat, base, dim);
            loss[e] = l;
            sim[e] = s;
            seen[e] = true;
        } else {
            loss[e] = 0.5f * loss[e] + 0.5f * l;
            sim[e] = 0.5f * sim[e] + 0.5f * s;
            Features.blendInto(feat, base, f, dim);
        }
        numSeen[e]++;
        if (nn != null) {
            nn.markDirty(e);
        }
        touch(e);
        if (limitNumSeen > 0 && numSeen[e] >= limitNumSeen) {
            if (nn != null) {
                int[] cands = new int[size];
                int m = candidates(cands);
                nn.forget(e, cands, m);
            }
            long[] keep = lastEvicted; // a num_seen drop is not an eviction of the last insert
            removeAll(new int[] {e}, 1);
            lastEvicted = keep;
        }
        return true;
    }

    // ---- loading from the durable file ----

    void ensureSlot(int slot) {
        if (slot >= slotCap) {
            grow(slot + 1 - slotCap);
        }
    }

    /**
     * Finishes a load from the durable file: counters, buffer order (by order key), free slots, lookup. The neighbour
     * lists are not stored there, so every trained entry is marked for recomputation at the next eviction.
     */
    void adoptLoaded(long nextSeq, long itemsSeen, long chunks, long sampleState, long evictState) {
        this.nextSeq = nextSeq;
        this.itemsSeen = itemsSeen;
        this.chunks = chunks;
        sampleRng.setState(sampleState);
        evictRng.setState(evictState);
        slotOf.clear();
        java.util.List<Integer> live = new java.util.ArrayList<>();
        freeTop = 0;
        for (int sl = slotCap - 1; sl >= 0; sl--) {
            if (alive[sl]) {
                live.add(sl);
            } else {
                free[freeTop++] = sl;
            }
        }
        live.sort((a, b) -> Long.compare(orderKey[a], orderKey[b]));
        size = 0;
        for (int sl : live) {
            order[size++] = sl;
            slotOf.put(idx[sl], sl);
            if (nn != null) {
                nn.reset(sl);
                if (seen[sl]) {
                    nn.markDirty(sl);
                }
            }
        }
        clearTouched();
    }

    // ---- exact state (checkpoint snapshot) ----

    void write(DataOutputStream out) throws IOException {
        out.writeInt(shardNo);
        out.writeInt(slotCap);
        out.writeLong(nextSeq);
        out.writeLong(itemsSeen);
        out.writeLong(chunks);
        out.writeLong(sampleRng.state());
        out.writeLong(evictRng.state());
        out.writeInt(freeTop);
        for (int i = 0; i < freeTop; i++) {
            out.writeInt(free[i]);
        }
        out.writeInt(size);
        for (int p = 0; p < size; p++) {
            int s = order[p];
            out.writeInt(s);
            out.writeLong(idx[s]);
            out.writeLong(seq[s]);
            out.writeLong(orderKey[s]);
            out.writeLong(birth[s]);
            out.writeInt(numSeen[s]);
            out.writeInt(label[s]);
            out.writeBoolean(seen[s]);
            out.writeFloat(loss[s]);
            out.writeFloat(sim[s]);
            out.writeFloat(nnSim[s]);
            if (seen[s]) {
                for (int i = 0; i < dim; i++) {
                    out.writeFloat(feat[s * stride + i]);
                }
                if (nn != null) {
                    out.writeBoolean(nn.dirty[s]);
                    out.writeByte(nn.cnt[s]);
                    out.writeFloat(nn.bound[s]);
                    for (int j = 0; j < nn.cnt[s]; j++) {
                        out.writeInt(nn.nb[s * NeighbourIndex.K + j]);
                        out.writeFloat(nn.nv[s * NeighbourIndex.K + j]);
                    }
                }
            }
        }
    }

    void read(DataInputStream in, String source) throws IOException {
        int no = in.readInt();
        if (no != shardNo) {
            throw new BufferSnapshotFormat(source + ": shard " + shardNo + " expected, found " + no);
        }
        int sc = in.readInt();
        if (sc < cap || sc > (1 << 28)) {
            throw new BufferSnapshotFormat(source + ": implausible slot count " + sc);
        }
        allocate(sc);
        if (nn != null) {
            nn.grow(sc);
            for (int s = 0; s < sc; s++) {
                nn.reset(s);
            }
        }
        slotOf.clear();
        nextSeq = in.readLong();
        itemsSeen = in.readLong();
        chunks = in.readLong();
        sampleRng.setState(in.readLong());
        evictRng.setState(in.readLong());
        freeTop = in.readInt();
        if (freeTop < 0 || freeTop > sc) {
            throw new BufferSnapshotFormat(source + ": implausible free-slot count " + freeTop);
        }
        for (int i = 0; i < freeTop; i++) {
            free[i] = checkSlot(in.readInt(), sc, source);
        }
        size = in.readInt();
        if (size < 0 || size + freeTop != sc) {
            throw new BufferSnapshotFormat(source + ": entry count " + size + " does not match the slot table");
        }
        for (int p = 0; p < size; p++) {
            int s = checkSlot(in.readInt(), sc, source);
            order[p] = s;
            idx[s] = in.readLong();
            seq[s] = in.readLong();
            orderKey[s] = in.readLong();
            birth[s] = in.readLong();
            numSeen[s] = in.readInt();
            label[s] = in.readInt();
            seen[s] = in.readBoolean();
            loss[s] = in.readFloat();
            sim[s] = in.readFloat();
            nnSim[s] = in.readFloat();
            alive[s] = true;
            slotOf.put(idx[s], s);
            if (seen[s]) {
                for (int i = 0; i < dim; i++) {
                    feat[s * stride + i] = in.readFloat();
                }
                if (nn != null) {
                    nn.dirty[s] = in.readBoolean();
                    int c = in.readByte();
                    if (c < 0 || c > NeighbourIndex.K) {
                        throw new BufferSnapshotFormat(source + ": bad neighbour list length " + c);
                    }
                    nn.cnt[s] = (byte) c;
                    nn.bound[s] = in.readFloat();
                    for (int j = 0; j < c; j++) {
                        nn.nb[s * NeighbourIndex.K + j] = checkSlot(in.readInt(), sc, source);
                        nn.nv[s * NeighbourIndex.K + j] = in.readFloat();
                    }
                }
            }
        }
    }

    private static int checkSlot(int s, int sc, String source) {
        if (s < 0 || s >= sc) {
            throw new BufferSnapshotFormat(source + ": slot " + s + " out of range");
        }
        return s;
    }

    /** Marks every entry as changed (the durable copy must be rewritten). */
    void touchAll() {
        for (int p = 0; p < size; p++) {
            touch(order[p]);
        }
        for (int sl = 0; sl < slotCap; sl++) {
            touchNn(sl);
        }
    }

    /** Thrown while reading a malformed snapshot. */
    static final class BufferSnapshotFormat extends RuntimeException {
        BufferSnapshotFormat(String m) {
            super(m);
        }
    }
}
