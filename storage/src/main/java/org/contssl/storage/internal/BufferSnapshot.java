package org.contssl.storage.internal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.contssl.storage.BufferSpec;
import org.contssl.storage.BufferStateException;

/**
 * The exact state of a whole buffer, as a checkpoint section and as the close-time sidecar (big-endian): magic,
 * version, spec (policy name, capacity, feature dimension, shards, seed, limit_num_seen), every shard in order
 * ({@link Shard#write}), magic again. Restoring it gives back the same entries, buffer order, free slots, neighbour
 * lists and generator states, so a resumed run makes the same choices as an uninterrupted one.
 */
final class BufferSnapshot {
    private static final long MAGIC = 0x4353534C42554631L; // "CSSLBUF1"
    /** Version of the snapshot layout; it follows the entry layout, the only part that has changed so far. */
    static final int VERSION = EntryTable.LAYOUT_VERSION;

    private BufferSnapshot() {}

    /** Writes the snapshot to {@code out}, which stays open (the caller owns it). */
    static void write(BufferSpec spec, Shard[] shards, OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(new BufferedOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        }, 1 << 16));
        d.writeLong(MAGIC);
        d.writeInt(VERSION);
        d.writeUTF(spec.policy().name());
        d.writeInt(spec.capacity());
        d.writeInt(spec.featureDim());
        d.writeInt(spec.shards());
        d.writeLong(spec.seed());
        d.writeInt(spec.limitNumSeen());
        for (Shard sh : shards) {
            sh.write(d);
        }
        d.writeLong(MAGIC);
        d.flush();
    }

    /** Reads a snapshot made for {@code spec} into new shards; {@code src} names it in error messages. */
    static Shard[] read(BufferSpec spec, DataInputStream d, String src) throws IOException {
        Shard[] fresh = Shard.forSpec(spec);
        try {
            if (d.readLong() != MAGIC || d.readInt() != VERSION) {
                throw new BufferStateException(src + " is not a replay-buffer snapshot of this version; restart from"
                        + " the previous checkpoint");
            }
            String pol = d.readUTF();
            int cap = d.readInt(), dim = d.readInt(), w = d.readInt();
            long seed = d.readLong();
            int lim = d.readInt();
            if (dim != spec.featureDim()) {
                throw new BufferStateException(src + " holds " + dim + "-d features but the configuration says "
                        + spec.featureDim() + "; resume with the configuration the checkpoint was made with");
            }
            if (!pol.equals(spec.policy().name()) || cap != spec.capacity() || w != spec.shards()
                    || seed != spec.seed() || lim != spec.limitNumSeen()) {
                throw new BufferStateException(src + " was made for " + pol.toLowerCase() + " capacity " + cap
                        + " shards " + w + " seed " + seed + "; resume with the configuration the checkpoint was made"
                        + " with");
            }
            for (Shard sh : fresh) {
                sh.read(d, src);
            }
            if (d.readLong() != MAGIC) {
                throw new BufferStateException(src + " has a bad trailer (corrupted); restart from the previous"
                        + " checkpoint");
            }
        } catch (EOFException e) {
            throw new BufferStateException(src + " is truncated; restart from the previous checkpoint", e);
        } catch (Malformed e) {
            throw new BufferStateException(e.getMessage() + " (corrupted snapshot); restart from the previous"
                    + " checkpoint", e);
        }
        return fresh;
    }

    /** A snapshot whose content contradicts itself (read by the shard and entry decoders, reported by {@link #read}). */
    static final class Malformed extends RuntimeException {
        Malformed(String m) {
            super(m);
        }
    }
}
