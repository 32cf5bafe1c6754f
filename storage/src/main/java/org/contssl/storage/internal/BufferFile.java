package org.contssl.storage.internal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import net.openhft.chronicle.map.ChronicleMap;
import org.contssl.storage.BufferPolicy;
import org.contssl.storage.BufferSpec;
import org.contssl.storage.BufferStateException;

/**
 * The durable copy of a buffer: one persisted Chronicle Map {@code replay.cm} keyed by (shard, slot) whose values are
 * fixed-size little-endian records with a CRC32C, plus three special keys: the spec, one meta record per shard
 * (counters and generator states) and a journal record that brackets every multi-entry update
 * (redo journal), so a crash in the middle of an update is rolled forward or back to a state the buffer really had.
 *
 * <p>Sidecars: {@code replay.cm.clean} exists only between a clean close and the next open (else the map is opened
 * with {@code recoverPersistedTo}); {@code replay.cm.length} records the file length so a truncated file is refused
 * before it is memory-mapped.
 */
public final class BufferFile implements AutoCloseable {
    public static final String MAP_FILE = "replay.cm";
    static final String CLEAN = "replay.cm.clean";
    static final String LENGTH = "replay.cm.length";
    private static final int FORMAT = 1;
    private static final int KIND_ENTRY = 1, KIND_META = 2, KIND_SPEC = 3, KIND_JOURNAL = 4, KIND_NN = 5;
    /** Keys of the neighbour-similarity block records: base + shard * 2^24 + block. */
    private static final long NN_KEY_BASE = Long.MIN_VALUE + 1024;
    private static final long SPEC_KEY = Long.MIN_VALUE, JOURNAL_KEY = Long.MIN_VALUE + 1;
    private static final int HEADER = 64;
    static final String JOURNAL = "replay.journal";
    private static final long REDO_MAGIC = 0x43535352454430L;
    private static final int REDO_END = 0x454E4421;

    private final Path dir;
    private final Path file;
    private final BufferSpec spec;
    private final int valueSize;
    private final ChronicleMap<Long, byte[]> map;
    private final java.nio.channels.FileChannel journal;
    /** Neighbour similarities per block record. */
    private final int nnBlock;
    private final byte[] applyScratch;
    /** Reused between commits: its buffer keeps the size of the largest update. */
    private final Redo redo;
    private final byte[] scratch;
    private final ByteBuffer bb;
    private final CRC32C crc = new CRC32C();
    private long ops;
    private long recordedLength = -1;
    /** The map existed before this open (else it was created empty). */
    final boolean existed;
    /** It was opened with crash recovery (no clean-close marker). */
    final boolean recovered;

    private BufferFile(Path dir, BufferSpec spec, boolean fresh) {
        this.dir = dir;
        this.file = dir.resolve(MAP_FILE);
        this.spec = spec;
        this.valueSize = Math.max(HEADER + 4 * spec.featureDim(), 128);
        this.scratch = new byte[valueSize];
        this.applyScratch = new byte[valueSize];
        this.redo = new Redo(valueSize);
        this.nnBlock = (valueSize - 16) / 4;
        this.bb = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BufferStateException("cannot create buffer directory " + dir + ": " + e.getMessage(), e);
        }
        if (fresh) {
            deleteQuietly(file);
            deleteQuietly(dir.resolve(CLEAN));
            deleteQuietly(dir.resolve(LENGTH));
        }
        existed = Files.exists(file);
        boolean clean = Files.exists(dir.resolve(CLEAN));
        recovered = existed && !clean;
        if (existed) {
            checkLength();
        }
        long slack = Math.max(1024, spec.capacity() / 4);
        long entries = (long) spec.capacity() + slack + (spec.capacity() + slack) / nnBlock + 2L * spec.shards() + 8;
        try {
            var builder = ChronicleMap.of(Long.class, byte[].class)
                    .name("contssl-replay-buffer")
                    .entries(entries)
                    .maxBloatFactor(4.0)
                    .constantValueSizeBySample(new byte[valueSize]);
            File f = file.toFile();
            map = recovered ? builder.recoverPersistedTo(f, true) : builder.createPersistedTo(f);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof InternalError)) {
                throw (VirtualMachineError) t;
            }
            throw new BufferStateException("buffer file " + file + " cannot be opened (" + oneLine(t)
                    + "); restart from the previous checkpoint, which restores the buffer from its snapshot", t);
        }
        deleteQuietly(dir.resolve(CLEAN));
        try {
            if (fresh) {
                deleteQuietly(dir.resolve(JOURNAL));
            }
            journal = java.nio.channels.FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            map.close();
            throw new BufferStateException("cannot open the buffer journal in " + dir + ": " + oneLine(e), e);
        }
        recordLength();
    }

    /** Opens (creating if absent) the buffer file of {@code dir}; {@code fresh} discards any existing one. */
    public static BufferFile open(Path dir, BufferSpec spec, boolean fresh) {
        return new BufferFile(dir, spec, fresh);
    }

    public Path file() {
        return file;
    }

    /** Number of completed multi-record updates (identifies the state a close-time sidecar belongs to). */
    public long ops() {
        return ops;
    }

    public Path dir() {
        return dir;
    }

    private void checkLength() {
        Path lf = dir.resolve(LENGTH);
        try {
            long actual = Files.size(file);
            if (Files.exists(lf)) {
                long expected = Long.parseLong(Files.readString(lf, StandardCharsets.US_ASCII).trim());
                if (actual < expected) {
                    throw new BufferStateException("buffer file " + file + " is truncated (" + actual + " of "
                            + expected + " bytes); restart from the previous checkpoint, which restores the buffer"
                            + " from its snapshot");
                }
            } else if (actual < 4096) {
                throw new BufferStateException("buffer file " + file + " is truncated (" + actual
                        + " bytes); restart from the previous checkpoint, which restores the buffer from its snapshot");
            }
        } catch (IOException | NumberFormatException e) {
            throw new BufferStateException("buffer file " + file + " cannot be checked (" + oneLine(e)
                    + "); restart from the previous checkpoint", e);
        }
    }

    private void recordLength() {
        try {
            long len = Files.size(file);
            if (len != recordedLength) {
                Path lf = dir.resolve(LENGTH);
                Path tmp = dir.resolve(LENGTH + ".tmp");
                Files.writeString(tmp, Long.toString(len), StandardCharsets.US_ASCII);
                Files.move(tmp, lf, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                recordedLength = len;
            }
        } catch (IOException e) {
            throw new BufferStateException("cannot record the length of buffer file " + file + ": " + oneLine(e), e);
        }
    }

    static String oneLine(Throwable t) {
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        m = m.replaceAll("\\s+", " ").trim();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale sidecar that cannot be removed is overwritten or re-checked later
        }
    }

    private void seal() {
        crc.reset();
        crc.update(scratch, 8, valueSize - 8);
        bb.putInt(4, (int) crc.getValue());
    }

    private boolean sealed(byte[] v) {
        crc.reset();
        crc.update(v, 8, v.length - 8);
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        return b.getInt(4) == (int) crc.getValue();
    }

    private static long entryKey(int shard, int slot) {
        return ((long) shard << 32) | (slot & 0xFFFFFFFFL);
    }

    private static long metaKey(int shard) {
        return -1L - shard;
    }

    // ---- writing ----

    /**
     * Makes the durable copy equal to the shards' state: every changed entry, every shard's counters and the applied-
     * update number go first, complete and checksummed, to the redo journal {@code replay.journal}, and only then into
     * the map. A kill during the journal write leaves the map at the previous update; a kill while applying is rolled
     * forward from the journal at the next open. Either way the reopened state is one the buffer really passed through.
     */
    public void commit(Shard[] shards) {
        commit(shards, java.util.Collections.emptyList());
    }

    private void commit(Shard[] shards, List<Long> removals) {
        Redo redo = this.redo;
        redo.reset();
        for (Long k : removals) {
            redo.remove(k);
        }
        for (Shard s : shards) {
            for (int i = 0; i < s.touchedCount; i++) {
                int slot = s.touchedList[i];
                long key = entryKey(s.shardNo, slot);
                if (s.alive[slot]) {
                    encode(s, slot);
                    redo.put(key, scratch);
                } else {
                    redo.remove(key);
                }
            }
        }
        for (Shard s : shards) {
            java.util.BitSet blocks = new java.util.BitSet();
            for (int i = 0; i < s.nnTouchedCount; i++) {
                blocks.set(s.nnTouchedList[i] / nnBlock);
            }
            for (int blk = blocks.nextSetBit(0); blk >= 0; blk = blocks.nextSetBit(blk + 1)) {
                nnRecord(s, blk);
                redo.put(nnKey(s.shardNo, blk), scratch);
            }
            meta(s);
            redo.put(metaKey(s.shardNo), scratch);
        }
        journalRecord(ops + 1);
        redo.put(JOURNAL_KEY, scratch);
        int logLen = redo.seal(ops + 1);
        byte[] log = redo.bytes();
        try {
            journal.write(ByteBuffer.wrap(log, 0, logLen), 0);
        } catch (IOException e) {
            throw new BufferStateException("cannot write the buffer journal in " + dir + " (" + oneLine(e)
                    + "); free disk space, then restart from the previous checkpoint", e);
        }
        apply(log);
        ops++;
        for (Shard s : shards) {
            s.clearTouched();
        }
        if (ops % 64 == 0) {
            recordLength(); // the file only grows when Chronicle adds a tier: checking now and then suffices
        }
    }

    private static long nnKey(int shard, int block) {
        return NN_KEY_BASE + ((long) shard << 24) + block;
    }

    /** Encodes the neighbour similarities of slots [block * nnBlock, (block + 1) * nnBlock) into scratch. */
    private void nnRecord(Shard s, int block) {
        java.util.Arrays.fill(scratch, (byte) 0);
        bb.putInt(0, KIND_NN);
        bb.putInt(8, s.shardNo);
        bb.putInt(12, block);
        int base = block * nnBlock;
        for (int i = 0; i < nnBlock; i++) {
            int slot = base + i;
            bb.putFloat(16 + 4 * i, slot < s.slotCap ? s.nnSim[slot] : Float.NaN);
        }
        seal();
    }

    /** Applies a sealed redo log to the map (idempotent). */
    private void apply(byte[] log) {
        ByteBuffer b = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.getInt(16);
        int at = 20;
        for (int i = 0; i < count; i++) {
            long key = b.getLong(at);
            byte op = log[at + 8];
            at += 9;
            if (op == 1) {
                System.arraycopy(log, at, applyScratch, 0, valueSize); // Chronicle copies it off-heap
                set(key, applyScratch);
                at += valueSize;
            } else {
                delete(key);
            }
        }
    }

    /** put without deserialising the previous value (which ChronicleMap.put would return). */
    private void set(long key, byte[] value) {
        try (net.openhft.chronicle.map.ExternalMapQueryContext<Long, byte[], ?> q = map.queryContext(key)) {
            q.writeLock().lock();
            net.openhft.chronicle.map.MapEntry<Long, byte[]> e = q.entry();
            net.openhft.chronicle.hash.Data<byte[]> d = q.wrapValueAsData(value);
            if (e != null) {
                q.replaceValue(e, d);
            } else {
                q.insert(q.absentEntry(), d);
            }
        }
    }

    /** remove without deserialising the previous value. */
    private void delete(long key) {
        try (net.openhft.chronicle.map.ExternalMapQueryContext<Long, byte[], ?> q = map.queryContext(key)) {
            q.writeLock().lock();
            net.openhft.chronicle.map.MapEntry<Long, byte[]> e = q.entry();
            if (e != null) {
                q.remove(e);
            }
        }
    }

    /** Reads the journal file; returns the sealed log if complete and intact, else null. */
    private byte[] readJournal() throws IOException {
        long len = journal.size();
        if (len < 28 || len > Integer.MAX_VALUE) {
            return null;
        }
        ByteBuffer head = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        journal.read(head, 0);
        if (head.getLong(0) != REDO_MAGIC) {
            return null;
        }
        int count = head.getInt(16);
        ByteBuffer all = ByteBuffer.allocate((int) len);
        journal.read(all, 0);
        byte[] log = all.array();
        int at = 20;
        for (int i = 0; i < count; i++) {
            if (at + 9 > len) {
                return null;
            }
            at += 9 + (log[at + 8] == 1 ? valueSize : 0);
        }
        if (at + 8 > len) {
            return null;
        }
        crc.reset();
        crc.update(log, 0, at);
        ByteBuffer t = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN);
        if (t.getInt(at) != (int) crc.getValue() || t.getInt(at + 4) != REDO_END) {
            return null;
        }
        return java.util.Arrays.copyOf(log, at + 8);
    }

    /** Growable redo log: header (magic, update number, count), records (key, op, value), CRC32C, end mark. */
    private static final class Redo {
        private final int valueSize;
        private byte[] buf = new byte[1 << 16];
        private int len = 20;
        private int count;

        Redo(int valueSize) {
            this.valueSize = valueSize;
        }

        void reset() {
            len = 20;
            count = 0;
            if (buf.length > (64 << 20)) {
                buf = new byte[1 << 16]; // after a whole-buffer restore: do not keep hundreds of MB around
            }
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        void put(long key, byte[] value) {
            ensure(9 + valueSize);
            ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putLong(len, key);
            buf[len + 8] = 1;
            System.arraycopy(value, 0, buf, len + 9, valueSize);
            len += 9 + valueSize;
            count++;
        }

        void remove(long key) {
            ensure(9);
            ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putLong(len, key);
            buf[len + 8] = 0;
            len += 9;
            count++;
        }

        /** Finishes the log; returns its length in {@link #bytes()}. */
        int seal(long update) {
            ensure(8);
            ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, REDO_MAGIC);
            b.putLong(8, update);
            b.putInt(16, count);
            CRC32C c = new CRC32C();
            c.update(buf, 0, len);
            b.putInt(len, (int) c.getValue());
            b.putInt(len + 4, REDO_END);
            return len + 8;
        }

        byte[] bytes() {
            return buf;
        }
    }

    private void journalRecord(long applied) {
        java.util.Arrays.fill(scratch, (byte) 0);
        bb.putInt(0, KIND_JOURNAL);
        bb.putLong(16, applied);
        seal();
    }

    public void putSpec() {
        java.util.Arrays.fill(scratch, (byte) 0);
        bb.putInt(0, KIND_SPEC);
        bb.putInt(8, FORMAT);
        bb.putInt(12, spec.policy().ordinal());
        bb.putInt(16, spec.capacity());
        bb.putInt(20, spec.featureDim());
        bb.putInt(24, spec.shards());
        bb.putLong(32, spec.seed());
        bb.putInt(40, spec.limitNumSeen());
        seal();
        map.put(SPEC_KEY, scratch.clone());
    }

    /** Encodes the shard's counters and generator states into the scratch record. */
    private void meta(Shard s) {
        java.util.Arrays.fill(scratch, (byte) 0);
        bb.putInt(0, KIND_META);
        bb.putInt(8, s.shardNo);
        bb.putLong(16, s.nextSeq);
        bb.putLong(24, s.itemsSeen);
        bb.putLong(32, s.chunks);
        bb.putLong(40, s.sampleRng.state());
        bb.putLong(48, s.evictRng.state());
        bb.putInt(56, s.size);
        seal();
    }

    private void encode(Shard s, int slot) {
        bb.putInt(0, KIND_ENTRY);
        bb.putLong(8, s.idx[slot]);
        bb.putLong(16, s.seq[slot]);
        bb.putLong(24, s.orderKey[slot]);
        bb.putLong(32, s.birth[slot]);
        bb.putInt(40, s.numSeen[slot]);
        bb.putInt(44, s.label[slot]);
        bb.put(48, (byte) (s.seen[slot] ? 1 : 0));
        bb.put(49, (byte) 0);
        bb.putShort(50, (short) 0);
        bb.putFloat(52, s.loss[slot]);
        bb.putFloat(56, s.sim[slot]);
        bb.putFloat(60, 0f); // neighbour similarity lives in the block records (KIND_NN)
        int base = slot * s.stride;
        for (int i = 0; i < s.dim; i++) {
            bb.putFloat(HEADER + 4 * i, s.feat[base + i]);
        }
        for (int o = HEADER + 4 * s.dim; o < valueSize; o++) {
            scratch[o] = 0;
        }
        seal();
    }

    /** Replaces the whole content by the given shards' state (after a snapshot restore). */
    public void rewrite(Shard[] shards) {
        List<Long> stale = new ArrayList<>();
        for (Long k : map.keySet()) {
            if (k >= 0 || (k >= NN_KEY_BASE && k < NN_KEY_BASE + (1L << 40))) {
                stale.add(k); // entries and neighbour blocks: all rewritten below
            }
        }
        for (Shard s : shards) {
            s.clearTouched();
            s.touchAll();
        }
        putSpec();
        commit(shards, stale);
    }

    // ---- reading ----

    /** Whether the map holds nothing at all (a new buffer); a map with records but no header fails in load. */
    public boolean isEmpty() {
        return map.isEmpty();
    }

    private String refuse(String what) {
        return "buffer file " + file + " " + what + "; restart from the previous checkpoint, which restores the buffer"
                + " from its snapshot";
    }

    /** Loads the durable state into the shards, checking spec, journal, checksums and counts. */
    public void load(Shard[] shards) {
        byte[] sv = map.get(SPEC_KEY);
        if (sv == null || sv.length < 64 || !sealed(sv)) {
            throw new BufferStateException(refuse("has no valid header record (corrupted or not a buffer)"));
        }
        ByteBuffer s = ByteBuffer.wrap(sv).order(ByteOrder.LITTLE_ENDIAN);
        int dimStored = s.getInt(20);
        if (dimStored != spec.featureDim()) {
            throw new BufferStateException("buffer file " + file + " holds " + dimStored + "-d features but the"
                    + " configuration says " + spec.featureDim() + "; use the matching model/feature dimension, or"
                    + " restart from the previous checkpoint with a fresh buffer directory");
        }
        BufferPolicy pol = BufferPolicy.values()[Math.min(s.getInt(12), BufferPolicy.values().length - 1)];
        if (s.getInt(8) != FORMAT || pol != spec.policy() || s.getInt(16) != spec.capacity()
                || s.getInt(24) != spec.shards() || s.getLong(32) != spec.seed() || s.getInt(40) != spec.limitNumSeen()) {
            throw new BufferStateException("buffer file " + file + " was made for another configuration (" + pol
                    .configName() + ", capacity " + s.getInt(16) + ", shards " + s.getInt(24) + ", seed "
                    + s.getLong(32) + "); use that configuration or a fresh buffer directory");
        }
        rollForward();
        byte[] jv = map.get(JOURNAL_KEY);
        if (jv == null || !sealed(jv)) {
            throw new BufferStateException(refuse("has no valid journal record and no complete redo log"));
        }
        ops = ByteBuffer.wrap(jv).order(ByteOrder.LITTLE_ENDIAN).getLong(16);
        int w = shards.length;
        List<List<int[]>> slotsPerShard = new ArrayList<>();
        for (int i = 0; i < w; i++) {
            slotsPerShard.add(new ArrayList<>());
        }
        long[][] metas = new long[w][];
        List<byte[]> nnRecords = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : map.entrySet()) {
            long key = e.getKey();
            byte[] v = e.getValue();
            if (v.length != valueSize || !sealed(v)) {
                throw new BufferStateException(refuse("has a corrupted record (key " + key + ")"));
            }
            ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
            int kind = b.getInt(0);
            if (key >= 0) {
                int shard = (int) (key >>> 32), slot = (int) key;
                if (kind != KIND_ENTRY || shard >= w || slot < 0 || slot > (1 << 28)) {
                    throw new BufferStateException(refuse("has a record with an impossible key " + key));
                }
                slotsPerShard.get(shard).add(new int[] {slot});
                decode(shards[shard], slot, b);
            } else if (kind == KIND_NN && key >= NN_KEY_BASE && key < NN_KEY_BASE + ((long) w << 24)) {
                nnRecords.add(v);
            } else if (key < 0 && key >= -w) {
                int shard = (int) (-1 - key);
                if (kind != KIND_META || b.getInt(8) != shard) {
                    throw new BufferStateException(refuse("has a corrupted shard record " + shard));
                }
                metas[shard] = new long[] {b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40), b.getLong(48),
                    b.getInt(56)};
            }
        }
        for (byte[] v : nnRecords) {
            ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
            Shard sh = shards[b.getInt(8)];
            int base = b.getInt(12) * nnBlock;
            for (int i = 0; i < nnBlock && base + i < sh.slotCap; i++) {
                sh.nnSim[base + i] = b.getFloat(16 + 4 * i);
            }
        }
        for (int i = 0; i < w; i++) {
            if (metas[i] == null) {
                throw new BufferStateException(refuse("lacks the record of shard " + i));
            }
            int count = slotsPerShard.get(i).size();
            if (count != metas[i][5]) {
                throw new BufferStateException(refuse("holds " + count + " entries for shard " + i + " but its"
                        + " counters say " + metas[i][5] + " (records lost)"));
            }
            shards[i].adoptLoaded(metas[i][0], metas[i][1], metas[i][2], metas[i][3], metas[i][4]);
        }
    }

    /** Re-applies the redo log if the map did not receive all of it (killed while applying). */
    private void rollForward() {
        byte[] log;
        try {
            log = readJournal();
        } catch (IOException e) {
            throw new BufferStateException("cannot read the buffer journal in " + dir + " (" + oneLine(e)
                    + "); restart from the previous checkpoint", e);
        }
        if (log == null) {
            return; // torn or absent: the map holds the last complete update
        }
        long update = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
        byte[] jv = map.get(JOURNAL_KEY);
        long applied = jv != null && sealed(jv) ? ByteBuffer.wrap(jv).order(ByteOrder.LITTLE_ENDIAN).getLong(16) : -1;
        if (applied < update) {
            apply(log);
        }
    }

    private void decode(Shard s, int slot, ByteBuffer b) {
        s.ensureSlot(slot);
        s.idx[slot] = b.getLong(8);
        s.seq[slot] = b.getLong(16);
        s.orderKey[slot] = b.getLong(24);
        s.birth[slot] = b.getLong(32);
        s.numSeen[slot] = b.getInt(40);
        s.label[slot] = b.getInt(44);
        s.seen[slot] = b.get(48) != 0;
        s.loss[slot] = b.getFloat(52);
        s.sim[slot] = b.getFloat(56);
        s.alive[slot] = true;
        int base = slot * s.stride;
        for (int i = 0; i < s.dim; i++) {
            s.feat[base + i] = b.getFloat(HEADER + 4 * i);
        }
    }

    void closeQuietly() {
        try {
            journal.close();
        } catch (IOException ignored) {
            // closing after a failure: the first error is the one reported
        }
        try {
            map.close();
        } catch (RuntimeException ignored) {
            // already failing: the first error is the one reported
        }
    }

    @Override
    public void close() {
        recordLength();
        try {
            journal.close();
        } catch (IOException e) {
            throw new BufferStateException("cannot close the buffer journal in " + dir + ": " + oneLine(e), e);
        }
        map.close();
        try {
            Files.writeString(dir.resolve(CLEAN), "closed cleanly\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new BufferStateException("cannot write the clean-close marker in " + dir + ": " + oneLine(e), e);
        }
    }
}
