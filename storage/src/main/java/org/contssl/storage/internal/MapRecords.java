package org.contssl.storage.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.contssl.storage.BufferSpec;

/**
 * The records of the buffer's Chronicle Map: one fixed size for all, little-endian, starting with the kind (int) and
 * a CRC32C of bytes 8 to the end (int). Kinds and keys:
 * <ul>
 *   <li>entry, key (shard &lt;&lt; 32 | slot) &gt;= 0: the {@link EntryTable} record of one live slot;</li>
 *   <li>meta, key -1 - shard: the shard's counters, generator states and entry count;</li>
 *   <li>neighbour block, key {@link #NN_KEY_BASE} + shard &lt;&lt; 24 + block: the neighbour similarities of
 *   {@link #nnBlock} consecutive slots;</li>
 *   <li>spec, key {@link #SPEC_KEY}: format and configuration; journal, key {@link #JOURNAL_KEY}: number of the last
 *   applied update.</li>
 * </ul>
 * Encoders fill one reused scratch array and return it: copy it before encoding the next record.
 */
final class MapRecords {
    static final int KIND_ENTRY = 1, KIND_META = 2, KIND_SPEC = 3, KIND_JOURNAL = 4, KIND_NN = 5;
    static final long SPEC_KEY = Long.MIN_VALUE, JOURNAL_KEY = Long.MIN_VALUE + 1;
    static final long NN_KEY_BASE = Long.MIN_VALUE + 1024;
    /** Version of the map layout; it follows the entry layout, the only part that has changed so far. */
    static final int FORMAT = EntryTable.LAYOUT_VERSION;

    /** Bytes per record: an entry record, but at least room for the meta and spec records and a useful block. */
    final int valueSize;
    /** Neighbour similarities per block record. */
    final int nnBlock;
    private final byte[] scratch;
    private final ByteBuffer bb;
    private final CRC32C crc = new CRC32C();

    MapRecords(int dim) {
        valueSize = Math.max(EntryTable.recordBytes(dim), 128);
        nnBlock = (valueSize - 16) / 4;
        scratch = new byte[valueSize];
        bb = le(scratch);
    }

    static ByteBuffer le(byte[] v) {
        return ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long entryKey(int shard, int slot) {
        return ((long) shard << 32) | (slot & 0xFFFFFFFFL);
    }

    static long metaKey(int shard) {
        return -1L - shard;
    }

    static long nnKey(int shard, int block) {
        return NN_KEY_BASE + ((long) shard << 24) + block;
    }

    /** Whether a key belongs to an entry or a neighbour block (everything a snapshot restore rewrites). */
    static boolean isEntryOrBlock(long key) {
        return key >= 0 || (key >= NN_KEY_BASE && key < NN_KEY_BASE + (1L << 40));
    }

    private byte[] seal() {
        crc.reset();
        crc.update(scratch, 8, valueSize - 8);
        bb.putInt(4, (int) crc.getValue());
        return scratch;
    }

    /** Whether a stored record's checksum matches. */
    boolean sealed(byte[] v) {
        crc.reset();
        crc.update(v, 8, v.length - 8);
        return le(v).getInt(4) == (int) crc.getValue();
    }

    byte[] entry(Shard s, int slot) {
        bb.putInt(0, KIND_ENTRY);
        s.entries.encode(bb, slot);
        return seal();
    }

    /** The neighbour similarities of slots [block * nnBlock, (block + 1) * nnBlock); NaN beyond the table. */
    byte[] nnBlock(Shard s, int block) {
        Arrays.fill(scratch, (byte) 0);
        bb.putInt(0, KIND_NN);
        bb.putInt(8, s.shardNo);
        bb.putInt(12, block);
        int base = block * nnBlock;
        EntryTable t = s.entries;
        for (int i = 0; i < nnBlock; i++) {
            int slot = base + i;
            bb.putFloat(16 + 4 * i, slot < t.slotCount() ? t.nnSim.get(slot) : Float.NaN);
        }
        return seal();
    }

    /** Copies a block record's similarities into the shard's table. */
    void readNnBlock(Shard[] shards, byte[] v) {
        ByteBuffer b = le(v);
        Shard sh = shards[b.getInt(8)];
        int base = b.getInt(12) * nnBlock;
        EntryTable t = sh.entries;
        for (int i = 0; i < nnBlock && base + i < t.slotCount(); i++) {
            t.nnSim.set(base + i, b.getFloat(16 + 4 * i));
        }
    }

    /** Counters and generator states of a shard. */
    byte[] meta(Shard s) {
        Arrays.fill(scratch, (byte) 0);
        bb.putInt(0, KIND_META);
        bb.putInt(8, s.shardNo);
        bb.putLong(16, s.nextSeq);
        bb.putLong(24, s.itemsSeen);
        bb.putLong(32, s.chunks);
        bb.putLong(40, s.sampleRng.state());
        bb.putLong(48, s.evictRng.state());
        bb.putInt(56, s.size);
        return seal();
    }

    /** A meta record's fields: next sequence number, items seen, chunks, two generator states, entry count. */
    static long[] readMeta(ByteBuffer b) {
        return new long[] {b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40), b.getLong(48), b.getInt(56)};
    }

    byte[] journal(long applied) {
        Arrays.fill(scratch, (byte) 0);
        bb.putInt(0, KIND_JOURNAL);
        bb.putLong(16, applied);
        return seal();
    }

    static long journalApplied(byte[] v) {
        return le(v).getLong(16);
    }

    byte[] spec(BufferSpec spec) {
        Arrays.fill(scratch, (byte) 0);
        bb.putInt(0, KIND_SPEC);
        bb.putInt(8, FORMAT);
        bb.putInt(12, spec.policy().ordinal());
        bb.putInt(16, spec.capacity());
        bb.putInt(20, spec.featureDim());
        bb.putInt(24, spec.shards());
        bb.putLong(32, spec.seed());
        bb.putInt(40, spec.limitNumSeen());
        return seal();
    }
}
