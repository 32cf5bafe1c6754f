package org.contssl.storage.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import org.contssl.core.AtomicFiles;
import org.contssl.storage.BufferPolicy;
import org.contssl.storage.BufferSpec;
import org.contssl.storage.BufferStateException;

/**
 * The durable copy of a buffer: one persisted Chronicle Map {@code replay.cm} of fixed-size checksummed records
 * ({@link MapRecords}: one per live entry, one per shard, neighbour-similarity blocks, the spec and the number of the
 * last applied update). Every multi-record update goes through the {@link RedoJournal} first, so a crash in the
 * middle of one is rolled forward or back to a state the buffer really had.
 *
 * <p>Sidecars: {@code replay.cm.clean} exists only between a clean close and the next open (else the map is opened
 * with {@code recoverPersistedTo}); {@code replay.cm.length} records the file length so a truncated file is refused
 * before it is memory-mapped.
 */
public final class BufferFile implements AutoCloseable {
    public static final String MAP_FILE = "replay.cm";
    static final String CLEAN = "replay.cm.clean";
    static final String LENGTH = "replay.cm.length";
    static final String JOURNAL = "replay.journal";

    private final Path dir;
    private final Path file;
    private final BufferSpec spec;
    private final MapRecords records;
    private final int valueSize;
    private final ChronicleMap<Long, byte[]> map;
    private final RedoJournal journal;
    private final byte[] applyScratch;
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
        this.records = new MapRecords(spec.featureDim());
        this.valueSize = records.valueSize;
        this.applyScratch = new byte[valueSize];
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BufferStateException("cannot create buffer directory " + dir + ": " + e.getMessage(), e);
        }
        AtomicFiles.removeStaleTemps(dir.resolve(LENGTH)); // left by a writer killed mid-write
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
        long entries = (long) spec.capacity() + slack + (spec.capacity() + slack) / records.nnBlock
                + 2L * spec.shards() + 8;
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
            journal = new RedoJournal(dir.resolve(JOURNAL), valueSize);
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
                AtomicFiles.write(dir.resolve(LENGTH), Long.toString(len).getBytes(StandardCharsets.US_ASCII));
                recordedLength = len;
            }
        } catch (IOException | UncheckedIOException e) {
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

    // ---- writing ----

    /**
     * Makes the durable copy equal to the shards' state: every changed entry, every shard's counters and the applied-
     * update number go first, complete and checksummed, to the redo journal {@code replay.journal}, and only then into
     * the map. A kill during the journal write leaves the map at the previous update; a kill while applying is rolled
     * forward from the journal at the next open. Either way the reopened state is one the buffer really passed through.
     */
    public void commit(Shard[] shards) {
        commit(shards, Collections.emptyList());
    }

    private void commit(Shard[] shards, List<Long> removals) {
        RedoJournal redo = journal;
        redo.begin();
        for (Long k : removals) {
            redo.remove(k);
        }
        for (Shard s : shards) {
            for (int i = 0; i < s.touched.size(); i++) {
                int slot = s.touched.get(i);
                long key = MapRecords.entryKey(s.shardNo, slot);
                if (s.entries.alive[slot]) {
                    redo.put(key, records.entry(s, slot));
                } else {
                    redo.remove(key);
                }
            }
        }
        for (Shard s : shards) {
            BitSet blocks = new BitSet();
            for (int i = 0; i < s.nnTouched.size(); i++) {
                blocks.set(s.nnTouched.get(i) / records.nnBlock);
            }
            for (int blk = blocks.nextSetBit(0); blk >= 0; blk = blocks.nextSetBit(blk + 1)) {
                redo.put(MapRecords.nnKey(s.shardNo, blk), records.nnBlock(s, blk));
            }
            redo.put(MapRecords.metaKey(s.shardNo), records.meta(s));
        }
        redo.put(MapRecords.JOURNAL_KEY, records.journal(ops + 1));
        byte[] log;
        try {
            log = redo.commit(ops + 1);
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

    /** Applies a sealed redo log to the map (idempotent). */
    private void apply(byte[] log) {
        journal.forEach(log, new RedoJournal.Visitor() {
            @Override
            public void put(long key, byte[] from, int at) {
                System.arraycopy(from, at, applyScratch, 0, valueSize); // Chronicle copies it off-heap
                set(key, applyScratch);
            }

            @Override
            public void remove(long key) {
                delete(key);
            }
        });
    }

    /** put without deserialising the previous value (which ChronicleMap.put would return). */
    private void set(long key, byte[] value) {
        try (ExternalMapQueryContext<Long, byte[], ?> q = map.queryContext(key)) {
            q.writeLock().lock();
            MapEntry<Long, byte[]> e = q.entry();
            Data<byte[]> d = q.wrapValueAsData(value);
            if (e != null) {
                q.replaceValue(e, d);
            } else {
                q.insert(q.absentEntry(), d);
            }
        }
    }

    /** remove without deserialising the previous value. */
    private void delete(long key) {
        try (ExternalMapQueryContext<Long, byte[], ?> q = map.queryContext(key)) {
            q.writeLock().lock();
            MapEntry<Long, byte[]> e = q.entry();
            if (e != null) {
                q.remove(e);
            }
        }
    }

    public void putSpec() {
        map.put(MapRecords.SPEC_KEY, records.spec(spec).clone());
    }

    /** Replaces the whole content by the given shards' state (after a snapshot restore). */
    public void rewrite(Shard[] shards) {
        List<Long> stale = new ArrayList<>();
        for (Long k : map.keySet()) {
            if (MapRecords.isEntryOrBlock(k)) {
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
        checkSpec();
        rollForward();
        byte[] jv = map.get(MapRecords.JOURNAL_KEY);
        if (jv == null || !records.sealed(jv)) {
            throw new BufferStateException(refuse("has no valid journal record and no complete redo log"));
        }
        ops = MapRecords.journalApplied(jv);
        int w = shards.length;
        int[] counts = new int[w];
        long[][] metas = new long[w][];
        List<byte[]> nnRecords = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : map.entrySet()) {
            long key = e.getKey();
            byte[] v = e.getValue();
            if (v.length != valueSize || !records.sealed(v)) {
                throw new BufferStateException(refuse("has a corrupted record (key " + key + ")"));
            }
            ByteBuffer b = MapRecords.le(v);
            int kind = b.getInt(0);
            if (key >= 0) {
                int shard = (int) (key >>> 32), slot = (int) key;
                if (kind != MapRecords.KIND_ENTRY || shard >= w || slot < 0 || slot > (1 << 28)) {
                    throw new BufferStateException(refuse("has a record with an impossible key " + key));
                }
                counts[shard]++;
                shards[shard].ensureSlot(slot);
                shards[shard].entries.decode(b, slot);
            } else if (kind == MapRecords.KIND_NN && key >= MapRecords.NN_KEY_BASE
                    && key < MapRecords.NN_KEY_BASE + ((long) w << 24)) {
                nnRecords.add(v);
            } else if (key < 0 && key >= -w) {
                int shard = (int) (-1 - key);
                if (kind != MapRecords.KIND_META || b.getInt(8) != shard) {
                    throw new BufferStateException(refuse("has a corrupted shard record " + shard));
                }
                metas[shard] = MapRecords.readMeta(b);
            }
        }
        for (byte[] v : nnRecords) {
            records.readNnBlock(shards, v);
        }
        for (int i = 0; i < w; i++) {
            if (metas[i] == null) {
                throw new BufferStateException(refuse("lacks the record of shard " + i));
            }
            if (counts[i] != metas[i][5]) {
                throw new BufferStateException(refuse("holds " + counts[i] + " entries for shard " + i + " but its"
                        + " counters say " + metas[i][5] + " (records lost)"));
            }
            shards[i].adoptLoaded(metas[i][0], metas[i][1], metas[i][2], metas[i][3], metas[i][4]);
        }
    }

    private void checkSpec() {
        byte[] sv = map.get(MapRecords.SPEC_KEY);
        if (sv == null || sv.length < 64 || !records.sealed(sv)) {
            throw new BufferStateException(refuse("has no valid header record (corrupted or not a buffer)"));
        }
        ByteBuffer s = MapRecords.le(sv);
        int dimStored = s.getInt(20);
        if (dimStored != spec.featureDim()) {
            throw new BufferStateException("buffer file " + file + " holds " + dimStored + "-d features but the"
                    + " configuration says " + spec.featureDim() + "; use the matching model/feature dimension, or"
                    + " restart from the previous checkpoint with a fresh buffer directory");
        }
        BufferPolicy pol = BufferPolicy.values()[Math.min(s.getInt(12), BufferPolicy.values().length - 1)];
        if (s.getInt(8) != MapRecords.FORMAT || pol != spec.policy() || s.getInt(16) != spec.capacity()
                || s.getInt(24) != spec.shards() || s.getLong(32) != spec.seed() || s.getInt(40) != spec.limitNumSeen()) {
            throw new BufferStateException("buffer file " + file + " was made for another configuration (" + pol
                    .configName() + ", capacity " + s.getInt(16) + ", shards " + s.getInt(24) + ", seed "
                    + s.getLong(32) + "); use that configuration or a fresh buffer directory");
        }
    }

    /** Re-applies the redo log if the map did not receive all of it (killed while applying). */
    private void rollForward() {
        byte[] log;
        try {
            log = journal.readComplete();
        } catch (IOException e) {
            throw new BufferStateException("cannot read the buffer journal in " + dir + " (" + oneLine(e)
                    + "); restart from the previous checkpoint", e);
        }
        if (log == null) {
            return; // torn or absent: the map holds the last complete update
        }
        byte[] jv = map.get(MapRecords.JOURNAL_KEY);
        long applied = jv != null && records.sealed(jv) ? MapRecords.journalApplied(jv) : -1;
        if (applied < RedoJournal.update(log)) {
            apply(log);
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
