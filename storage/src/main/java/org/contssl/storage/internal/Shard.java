package org.contssl.storage.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.contssl.core.SplitMix64;
import org.contssl.storage.BufferPolicy;
import org.contssl.storage.BufferSpec;

/**
 * One independent buffer (one virtual shard): its {@link EntryTable}, a buffer order over the slots (oldest first),
 * the policy's insertion and eviction ({@link EvictionPolicy}), uniform sampling and the statistics update. This
 * in-memory mirror is what the algorithms read; {@link BufferFile} keeps the Chronicle Map copy in step after every
 * operation, using the changed-slot sets kept here.
 */
public final class Shard {
    final int shardNo;
    final int cap;
    final int dim;
    final int limitNumSeen;

    final EntryTable entries;
    /** Slots in buffer order; positions [0, size) are live. */
    int[] order;
    int size;

    long nextSeq;
    long itemsSeen;
    long chunks;
    final SplitMix64 sampleRng;
    /** The eviction generator (used by reservoir); saved for every policy, so the layout does not depend on it. */
    final SplitMix64 evictRng;
    final HashMap<Long, Integer> slotOf = new HashMap<>();
    final EvictionPolicy policy;

    /** Slots whose entry record must be rewritten (changed, added or freed) at the next commit. */
    final SlotSet touched;
    /** Slots whose neighbour similarity changed; it is kept in block records, many slots per record. */
    final SlotSet nnTouched;

    /** Identity permutation of positions, used and restored by {@link #sample}. */
    private int[] perm;
    /** Stream positions evicted by the last insert, in eviction order (for tests and the benchmark). */
    long[] lastEvicted = new long[0];
    /** Evictions of the last insert that MinRed made oldest-first (fewer than 2n trained entries); 0 otherwise. */
    int lastOldestFirst;

    public Shard(int shardNo, BufferPolicy policy, int cap, int dim, long seed, int limitNumSeen) {
        this.shardNo = shardNo;
        this.cap = cap;
        this.dim = dim;
        this.limitNumSeen = limitNumSeen;
        this.sampleRng = new SplitMix64(SplitMix64.derive(seed, 1000L * shardNo + 1));
        this.evictRng = new SplitMix64(SplitMix64.derive(seed, 1000L * shardNo + 2));
        int slots = cap + 16;
        this.entries = new EntryTable(dim, slots);
        this.touched = new SlotSet(slots);
        this.nnTouched = new SlotSet(slots);
        sizeSlotArrays(slots);
        this.policy = EvictionPolicy.create(policy, this);
    }

    /** The W shards of a buffer, empty. */
    static Shard[] forSpec(BufferSpec spec) {
        Shard[] s = new Shard[spec.shards()];
        for (int i = 0; i < s.length; i++) {
            s[i] = new Shard(i, spec.policy(), spec.shardCapacity(), spec.featureDim(), spec.seed(),
                    spec.limitNumSeen());
        }
        return s;
    }

    /** Order and the sampling permutation, sized to the slot count. */
    private void sizeSlotArrays(int n) {
        order = new int[n];
        perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
    }

    private void grow(int need) {
        int old = entries.slotCount();
        int n = Math.max(old + need, old + old / 8 + 64);
        entries.grow(n);
        touched.grow(n);
        nnTouched.grow(n);
        order = Arrays.copyOf(order, n);
        perm = Arrays.copyOf(perm, n);
        for (int i = old; i < n; i++) {
            perm[i] = i;
        }
        policy.grown(n);
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return cap;
    }

    int slotCount() {
        return entries.slotCount();
    }

    void nnChanged(int s) {
        nnTouched.add(s);
    }

    /** Clears the changed-slot sets after the durable copy has been brought up to date. */
    void clearTouched() {
        touched.clear();
        nnTouched.clear();
    }

    int newEntry(long streamIdx, int lab) {
        if (!entries.hasFree()) {
            grow(64);
        }
        EntryTable t = entries;
        int s = t.take();
        t.idx.set(s, streamIdx);
        t.seq.set(s, nextSeq++);
        t.orderKey.set(s, t.seq.get(s));
        t.birth.set(s, chunks);
        t.label.set(s, lab);
        if (!Float.isNaN(t.nnSim.get(s))) {
            nnTouched.add(s); // a reused slot must not inherit the previous entry's stored value
        }
        t.nnSim.set(s, Float.NaN);
        policy.added(s);
        slotOf.put(streamIdx, s);
        touched.add(s);
        return s;
    }

    void freeSlot(int s) {
        entries.release(s);
        slotOf.remove(entries.idx.get(s));
        touched.add(s);
    }

    public boolean contains(long streamIdx) {
        return slotOf.containsKey(streamIdx);
    }

    /** One piece of an incoming chunk. */
    public void insert(long[] ids, int[] labels, int from, int to) {
        chunks++;
        lastEvicted = new long[0];
        lastOldestFirst = 0;
        policy.insert(ids, labels, from, to);
    }

    /** Appends {@code ids[from, to)} at the end of the buffer order, beyond capacity if need be (FIFO, MinRed). */
    void appendAll(long[] ids, int[] labels, int from, int to) {
        for (int i = from; i < to; i++) {
            if (size == order.length) {
                grow(to - i);
            }
            order[size++] = newEntry(ids[i], labels[i]);
            itemsSeen++;
        }
    }

    void recordEviction(long streamIdx) {
        long[] b = Arrays.copyOf(lastEvicted, lastEvicted.length + 1);
        b[lastEvicted.length] = streamIdx;
        lastEvicted = b;
    }

    /** Age in incoming chunks (the reference's lifespan): 1 for entries of the latest chunk. */
    int lifespan(int s) {
        return (int) (chunks - entries.birth.get(s) + 1);
    }

    /** Removes the given slots and compacts the order (survivors keep their relative order). */
    void removeAll(int[] slots, int n) {
        long[] ev = new long[n];
        for (int i = 0; i < n; i++) {
            ev[i] = entries.idx.get(slots[i]);
            freeSlot(slots[i]);
        }
        lastEvicted = ev;
        int w = 0;
        for (int p = 0; p < size; p++) {
            if (entries.alive[order[p]]) {
                order[w++] = order[p];
            }
        }
        size = w;
    }

    /** Trained entries in buffer order; returns their count. */
    int candidates(int[] out) {
        int m = 0;
        for (int p = 0; p < size; p++) {
            int s = order[p];
            if (entries.seen.get(s)) {
                out[m++] = s;
            }
        }
        return m;
    }

    /** Draws {@code k} stream positions uniformly (distinct unless the shard holds fewer than k). */
    public void sample(int k, long[] out, int at) {
        if (size == 0) {
            throw new IllegalStateException("replay buffer shard " + shardNo
                    + " is empty; sample only after the fill phase has inserted data");
        }
        if (size < k) {
            for (int i = 0; i < k; i++) {
                out[at + i] = entries.idx.get(order[sampleRng.nextInt(size)]);
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
            out[at + i] = entries.idx.get(order[perm[i]]);
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
        EntryTable t = entries;
        int base = e * t.stride;
        if (!t.seen.get(e)) {
            System.arraycopy(f, 0, t.feat, base, dim);
            t.loss.set(e, l);
            t.sim.set(e, s);
            t.seen.set(e, true);
        } else {
            t.loss.set(e, 0.5f * t.loss.get(e) + 0.5f * l);
            t.sim.set(e, 0.5f * t.sim.get(e) + 0.5f * s);
            Features.blendInto(t.feat, base, f, dim);
        }
        t.numSeen.set(e, t.numSeen.get(e) + 1);
        policy.updated(e);
        touched.add(e);
        if (limitNumSeen > 0 && t.numSeen.get(e) >= limitNumSeen) {
            policy.dropping(e);
            long[] keep = lastEvicted; // a num_seen drop is not an eviction of the last insert
            removeAll(new int[] {e}, 1);
            lastEvicted = keep;
        }
        return true;
    }

    // ---- loading from the durable file ----

    void ensureSlot(int slot) {
        if (slot >= entries.slotCount()) {
            grow(slot + 1 - entries.slotCount());
        }
    }

    /**
     * Finishes a load from the durable file (entries already decoded into their slots): counters, buffer order (by
     * order key), free slots, lookup, and the policy's state of every live entry.
     */
    void adoptLoaded(long nextSeq, long itemsSeen, long chunks, long sampleState, long evictState) {
        this.nextSeq = nextSeq;
        this.itemsSeen = itemsSeen;
        this.chunks = chunks;
        sampleRng.setState(sampleState);
        evictRng.setState(evictState);
        slotOf.clear();
        EntryTable t = entries;
        t.freeAllDead();
        List<Integer> live = new ArrayList<>();
        for (int sl = t.slotCount() - 1; sl >= 0; sl--) {
            if (t.alive[sl]) {
                live.add(sl);
            }
        }
        live.sort((a, b) -> Long.compare(t.orderKey.get(a), t.orderKey.get(b)));
        size = 0;
        for (int sl : live) {
            order[size++] = sl;
            slotOf.put(t.idx.get(sl), sl);
            policy.loaded(sl);
        }
        clearTouched();
    }

    // ---- exact state (checkpoint snapshot) ----

    /**
     * Shard header (number, slot count, counters, generator states, free slots, entry count), then every entry in
     * buffer order: its slot, its {@link EntryTable} encoding and, when trained, the policy's state of it.
     */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(shardNo);
        out.writeInt(entries.slotCount());
        out.writeLong(nextSeq);
        out.writeLong(itemsSeen);
        out.writeLong(chunks);
        out.writeLong(sampleRng.state());
        out.writeLong(evictRng.state());
        entries.writeFree(out);
        out.writeInt(size);
        for (int p = 0; p < size; p++) {
            int s = order[p];
            out.writeInt(s);
            entries.write(out, s);
            if (entries.seen.get(s)) {
                policy.writeTrained(out, s);
            }
        }
    }

    void read(DataInputStream in, String source) throws IOException {
        int no = in.readInt();
        if (no != shardNo) {
            throw new BufferSnapshot.Malformed(source + ": shard " + shardNo + " expected, found " + no);
        }
        int sc = in.readInt();
        if (sc < cap || sc > (1 << 28)) {
            throw new BufferSnapshot.Malformed(source + ": implausible slot count " + sc);
        }
        entries.allocate(sc);
        touched.reset(sc);
        nnTouched.reset(sc);
        sizeSlotArrays(sc);
        policy.cleared(sc);
        slotOf.clear();
        nextSeq = in.readLong();
        itemsSeen = in.readLong();
        chunks = in.readLong();
        sampleRng.setState(in.readLong());
        evictRng.setState(in.readLong());
        entries.readFree(in, source);
        size = in.readInt();
        if (size < 0 || size + entries.freeCount() != sc) {
            throw new BufferSnapshot.Malformed(source + ": entry count " + size + " does not match the slot table");
        }
        for (int p = 0; p < size; p++) {
            int s = entries.checkSlot(in.readInt(), source);
            order[p] = s;
            entries.read(in, s);
            slotOf.put(entries.idx.get(s), s);
            if (entries.seen.get(s)) {
                policy.readTrained(in, s, source);
            }
        }
    }

    /** Marks every entry as changed (the durable copy must be rewritten). */
    void touchAll() {
        for (int p = 0; p < size; p++) {
            touched.add(order[p]);
        }
        for (int sl = 0; sl < entries.slotCount(); sl++) {
            nnTouched.add(sl);
        }
    }
}
