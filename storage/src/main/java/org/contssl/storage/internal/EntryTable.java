package org.contssl.storage.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The entries of one shard, slot by slot: the per-entry columns, the feature vectors, which slots are live and which
 * are free. The column list below is the one place that says what an entry holds. Allocation, growth, the checkpoint
 * snapshot encoding and the Chronicle Map record encoding all walk it, so adding a per-entry field is one line there
 * plus a {@link #LAYOUT_VERSION} bump (both encodings change with it).
 *
 * <p>Snapshot encoding of an entry (big-endian, {@link DataOutput}): the columns in list order, then, for a trained
 * entry only, its {@code dim} feature components. Map record (little-endian, fixed size): kind and CRC32C (written by
 * the caller), the columns in list order from byte {@value #RECORD_COLUMNS_AT} (a flag takes 4 bytes, the rest
 * zero), then every feature component. A column kept elsewhere in the map (the neighbour similarity, stored in block
 * records because an eviction changes it for thousands of otherwise unchanged entries) leaves zeros in the record.
 */
final class EntryTable {
    /** Version of both entry encodings (snapshot and map record); bump it whenever the column list changes. */
    static final int LAYOUT_VERSION = 1;
    /** Map records start with kind (int) and CRC32C (int); the columns follow. */
    static final int RECORD_COLUMNS_AT = 8;

    /** Stream position (post-subsample), the entry's identity. */
    final LongColumn idx = new LongColumn();
    /** Insertion number within the shard. */
    final LongColumn seq = new LongColumn();
    /** Sort key of the buffer order; a reservoir replacement inherits the key of the entry it replaces. */
    final LongColumn orderKey = new LongColumn();
    /** Chunk count at insertion: lifespan (age in incoming chunks, 1 = newest) = chunks - birth + 1. */
    final LongColumn birth = new LongColumn();
    /** Times trained on. */
    final IntColumn numSeen = new IntColumn();
    /** Label, -1 when unknown (composition diagnostics only). */
    final IntColumn label = new IntColumn();
    /** Trained at least once: loss, similarity and feature hold values. */
    final FlagColumn seen = new FlagColumn();
    /** First loss, then halved running average. */
    final FloatColumn loss = new FloatColumn(0f, true);
    /** First cos(z1, z2), then halved running average. */
    final FloatColumn sim = new FloatColumn(0f, true);
    /** Similarity to the nearest trained neighbour as of the last MinRed eviction; NaN when none. */
    final FloatColumn nnSim = new FloatColumn(Float.NaN, false);

    private final Column[] columns = {idx, seq, orderKey, birth, numSeen, label, seen, loss, sim, nnSim};

    final int dim;
    /** Floats per feature row (dim padded for the similarity kernels). */
    final int stride;
    /** Feature rows, slot s at [s * stride, s * stride + dim): normalize(z1 + z2), blended per update. */
    float[] feat;
    boolean[] alive;
    private int slotCap;
    /** Free slots as a stack; the top is handed out next, so the lowest free slot goes first. */
    private int[] free;
    private int freeTop;

    EntryTable(int dim, int slots) {
        this.dim = dim;
        this.stride = Dots.stride(dim);
        allocate(slots);
    }

    /** Size of an entry's map record: the columns, then the features. */
    static int recordBytes(int dim) {
        return new EntryTable(dim, 0).featuresAt() + 4 * dim;
    }

    private int featuresAt() {
        int at = RECORD_COLUMNS_AT;
        for (Column c : columns) {
            at += c.recordWidth();
        }
        return at;
    }

    int slotCount() {
        return slotCap;
    }

    /** Empties the table with room for {@code n} slots, all free. */
    void allocate(int n) {
        slotCap = n;
        for (Column c : columns) {
            c.allocate(n);
        }
        feat = new float[n * stride];
        alive = new boolean[n];
        free = new int[n];
        freeTop = 0;
        for (int s = n - 1; s >= 0; s--) {
            free[freeTop++] = s;
        }
    }

    /** Adds {@code n - slotCount()} free slots, placed below the existing free ones (the lowest still goes first). */
    void grow(int n) {
        int old = slotCap;
        slotCap = n;
        for (Column c : columns) {
            c.grow(old, n);
        }
        feat = Arrays.copyOf(feat, n * stride);
        alive = Arrays.copyOf(alive, n);
        int[] nf = new int[n];
        System.arraycopy(free, 0, nf, n - old, freeTop);
        free = nf;
        int k = 0;
        for (int s = n - 1; s >= old; s--) {
            free[k++] = s;
        }
        freeTop += n - old;
    }

    boolean hasFree() {
        return freeTop > 0;
    }

    /**
     * Takes the next free slot for a new entry: every column at its initial value, except the neighbour similarity,
     * which the caller resets itself (it must notice a stale value there to rewrite its block record).
     */
    int take() {
        int s = free[--freeTop];
        for (Column c : columns) {
            if (c != nnSim) {
                c.clear(s);
            }
        }
        alive[s] = true;
        Arrays.fill(feat, s * stride, (s + 1) * stride, 0f);
        return s;
    }

    void release(int s) {
        alive[s] = false;
        free[freeTop++] = s;
    }

    /** Rebuilds the free stack from the live flags, highest slot at the bottom (after a load from the map). */
    void freeAllDead() {
        freeTop = 0;
        for (int s = slotCap - 1; s >= 0; s--) {
            if (!alive[s]) {
                free[freeTop++] = s;
            }
        }
    }

    void writeFree(DataOutput out) throws IOException {
        out.writeInt(freeTop);
        for (int i = 0; i < freeTop; i++) {
            out.writeInt(free[i]);
        }
    }

    /** Reads the free stack written by {@link #writeFree}, checking every slot against the table. */
    void readFree(DataInput in, String source) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > slotCap) {
            throw new BufferSnapshot.Malformed(source + ": implausible free-slot count " + n);
        }
        freeTop = n;
        for (int i = 0; i < n; i++) {
            free[i] = checkSlot(in.readInt(), source);
        }
    }

    int freeCount() {
        return freeTop;
    }

    /** A slot number read from a snapshot, refused unless it is inside the table. */
    int checkSlot(int s, String source) {
        if (s < 0 || s >= slotCap) {
            throw new BufferSnapshot.Malformed(source + ": slot " + s + " out of range");
        }
        return s;
    }

    // ---- the two encodings ----

    void write(DataOutput out, int s) throws IOException {
        for (Column c : columns) {
            c.write(out, s);
        }
        if (seen.get(s)) {
            int base = s * stride;
            for (int i = 0; i < dim; i++) {
                out.writeFloat(feat[base + i]);
            }
        }
    }

    /** Reads one entry written by {@link #write} into slot {@code s}, which becomes live. */
    void read(DataInput in, int s) throws IOException {
        for (Column c : columns) {
            c.read(in, s);
        }
        alive[s] = true;
        if (seen.get(s)) {
            int base = s * stride;
            for (int i = 0; i < dim; i++) {
                feat[base + i] = in.readFloat();
            }
        }
    }

    /** Writes slot {@code s} into a little-endian record from byte {@value #RECORD_COLUMNS_AT} to its end. */
    void encode(ByteBuffer b, int s) {
        int at = RECORD_COLUMNS_AT;
        for (Column c : columns) {
            if (c.inRecord) {
                c.put(b, at, s);
            } else {
                for (int i = 0; i < c.recordWidth(); i++) {
                    b.put(at + i, (byte) 0);
                }
            }
            at += c.recordWidth();
        }
        int base = s * stride;
        for (int i = 0; i < dim; i++) {
            b.putFloat(at + 4 * i, feat[base + i]);
        }
        for (int o = at + 4 * dim; o < b.capacity(); o++) {
            b.put(o, (byte) 0);
        }
    }

    /** Reads slot {@code s} (which becomes live) from a record written by {@link #encode}. */
    void decode(ByteBuffer b, int s) {
        int at = RECORD_COLUMNS_AT;
        for (Column c : columns) {
            if (c.inRecord) {
                c.get(b, at, s);
            }
            at += c.recordWidth();
        }
        alive[s] = true;
        int base = s * stride;
        for (int i = 0; i < dim; i++) {
            feat[base + i] = b.getFloat(at + 4 * i);
        }
    }

    // ---- columns ----

    /** One per-entry field: its storage and its two encodings. */
    abstract static class Column {
        /** Stored in the entry's map record (else zeros hold its place there). */
        final boolean inRecord;

        Column(boolean inRecord) {
            this.inRecord = inRecord;
        }

        abstract void allocate(int n);

        /** Grows from {@code old} to {@code n} slots, the new ones at the initial value. */
        abstract void grow(int old, int n);

        /** Sets slot s to the initial value. */
        abstract void clear(int s);

        abstract int recordWidth();

        abstract void write(DataOutput out, int s) throws IOException;

        abstract void read(DataInput in, int s) throws IOException;

        abstract void put(ByteBuffer b, int at, int s);

        abstract void get(ByteBuffer b, int at, int s);
    }

    static final class LongColumn extends Column {
        private long[] v;

        LongColumn() {
            super(true);
        }

        long get(int s) {
            return v[s];
        }

        void set(int s, long x) {
            v[s] = x;
        }

        @Override void allocate(int n) { v = new long[n]; }
        @Override void grow(int old, int n) { v = Arrays.copyOf(v, n); }
        @Override void clear(int s) { v[s] = 0; }
        @Override int recordWidth() { return 8; }
        @Override void write(DataOutput out, int s) throws IOException { out.writeLong(v[s]); }
        @Override void read(DataInput in, int s) throws IOException { v[s] = in.readLong(); }
        @Override void put(ByteBuffer b, int at, int s) { b.putLong(at, v[s]); }
        @Override void get(ByteBuffer b, int at, int s) { v[s] = b.getLong(at); }
    }

    static final class IntColumn extends Column {
        private int[] v;

        IntColumn() {
            super(true);
        }

        int get(int s) {
            return v[s];
        }

        void set(int s, int x) {
            v[s] = x;
        }

        @Override void allocate(int n) { v = new int[n]; }
        @Override void grow(int old, int n) { v = Arrays.copyOf(v, n); }
        @Override void clear(int s) { v[s] = 0; }
        @Override int recordWidth() { return 4; }
        @Override void write(DataOutput out, int s) throws IOException { out.writeInt(v[s]); }
        @Override void read(DataInput in, int s) throws IOException { v[s] = in.readInt(); }
        @Override void put(ByteBuffer b, int at, int s) { b.putInt(at, v[s]); }
        @Override void get(ByteBuffer b, int at, int s) { v[s] = b.getInt(at); }
    }

    /** A boolean: one byte in the snapshot, one byte plus three zero bytes in the record (keeps floats aligned). */
    static final class FlagColumn extends Column {
        private boolean[] v;

        FlagColumn() {
            super(true);
        }

        boolean get(int s) {
            return v[s];
        }

        void set(int s, boolean x) {
            v[s] = x;
        }

        @Override void allocate(int n) { v = new boolean[n]; }
        @Override void grow(int old, int n) { v = Arrays.copyOf(v, n); }
        @Override void clear(int s) { v[s] = false; }
        @Override int recordWidth() { return 4; }
        @Override void write(DataOutput out, int s) throws IOException { out.writeBoolean(v[s]); }
        @Override void read(DataInput in, int s) throws IOException { v[s] = in.readBoolean(); }
        @Override void get(ByteBuffer b, int at, int s) { v[s] = b.get(at) != 0; }

        @Override
        void put(ByteBuffer b, int at, int s) {
            b.putInt(at, 0);
            b.put(at, (byte) (v[s] ? 1 : 0));
        }
    }

    static final class FloatColumn extends Column {
        private final float initial;
        private float[] v;

        FloatColumn(float initial, boolean inRecord) {
            super(inRecord);
            this.initial = initial;
        }

        float get(int s) {
            return v[s];
        }

        void set(int s, float x) {
            v[s] = x;
        }

        @Override
        void allocate(int n) {
            v = new float[n];
            Arrays.fill(v, initial);
        }

        @Override
        void grow(int old, int n) {
            v = Arrays.copyOf(v, n);
            Arrays.fill(v, old, n, initial);
        }

        @Override void clear(int s) { v[s] = initial; }
        @Override int recordWidth() { return 4; }
        @Override void write(DataOutput out, int s) throws IOException { out.writeFloat(v[s]); }
        @Override void read(DataInput in, int s) throws IOException { v[s] = in.readFloat(); }
        @Override void put(ByteBuffer b, int at, int s) { b.putFloat(at, v[s]); }
        @Override void get(ByteBuffer b, int at, int s) { v[s] = b.getFloat(at); }
    }
}
