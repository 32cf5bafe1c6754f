package org.contssl.storage;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Frozen buffer states for the format-compatibility test: the cases, the files of the durable buffer directory that a
 * fixture keeps, and a reader of the snapshot layout written independently of the production code (so a format
 * change shows up as a readable per-entry difference, not only as a differing hash).
 */
final class SnapshotFixtures {
    private SnapshotFixtures() {}

    /** One frozen state: a buffer spec, a workload run for {@code before} chunks, then continued for {@code after}. */
    record Case(String name, BufferSpec spec, int batch, int steps, long workloadSeed, int before, int after) {
        Workload workload() {
            return new Workload(batch, steps, spec.featureDim(), workloadSeed);
        }
    }

    static final List<Case> CASES = List.of(
            new Case("fifo", new BufferSpec(BufferPolicy.FIFO, 24, 8, 2, 11, 0), 8, 3, 1, 6, 3),
            new Case("reservoir", new BufferSpec(BufferPolicy.RESERVOIR, 24, 8, 2, 12, 0), 8, 3, 2, 8, 3),
            new Case("minred", new BufferSpec(BufferPolicy.MINRED, 24, 8, 2, 13, 0), 8, 3, 3, 8, 3),
            new Case("minred-limit", new BufferSpec(BufferPolicy.MINRED, 16, 8, 1, 14, 3), 8, 3, 4, 8, 3));

    /** Files of the durable buffer directory kept by a fixture (gzipped); the close-time snapshot is left out. */
    static final List<String> MAP_FILES = List.of("replay.cm", "replay.journal", "replay.cm.length", "replay.cm.clean");

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void gzip(Path from, Path to) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(to))) {
            Files.copy(from, o);
        }
    }

    static void gunzip(InputStream from, Path to) throws IOException {
        try (InputStream in = new GZIPInputStream(from)) {
            Files.copy(in, to);
        }
    }

    /**
     * The snapshot as one line per shard and per entry (floats printed exactly, features hashed). Layout, big-endian:
     * magic, version, spec (policy name, capacity, dim, shards, seed, limit); per shard: number, slot count, next
     * sequence number, items seen, chunks, sampling and eviction generator states, free slots, entry count, then per
     * entry in buffer order: slot, stream position, sequence number, order key, birth chunk, num_seen, label, seen,
     * loss, view similarity, neighbour similarity, and for trained entries the feature plus (MinRed) the neighbour list;
     * magic again.
     */
    static List<String> describe(byte[] snapshot) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
        List<String> out = new ArrayList<>();
        long magic = in.readLong();
        int version = in.readInt();
        String policy = in.readUTF();
        int cap = in.readInt(), dim = in.readInt(), shards = in.readInt();
        long seed = in.readLong();
        int limit = in.readInt();
        out.add("header magic=" + Long.toHexString(magic) + " version=" + version + " policy=" + policy + " cap=" + cap
                + " dim=" + dim + " shards=" + shards + " seed=" + seed + " limit=" + limit);
        boolean minred = policy.equals("MINRED");
        for (int w = 0; w < shards; w++) {
            StringBuilder h = new StringBuilder("shard " + in.readInt() + " slots=" + in.readInt() + " nextSeq="
                    + in.readLong() + " itemsSeen=" + in.readLong() + " chunks=" + in.readLong() + " sampleRng="
                    + in.readLong() + " evictRng=" + in.readLong() + " free=[");
            int free = in.readInt();
            for (int i = 0; i < free; i++) {
                h.append(i == 0 ? "" : ",").append(in.readInt());
            }
            int size = in.readInt();
            out.add(h.append("] size=").append(size).toString());
            for (int p = 0; p < size; p++) {
                StringBuilder e = new StringBuilder("  slot=" + in.readInt() + " idx=" + in.readLong() + " seq="
                        + in.readLong() + " orderKey=" + in.readLong() + " birth=" + in.readLong() + " numSeen="
                        + in.readInt() + " label=" + in.readInt());
                boolean seen = in.readBoolean();
                e.append(" seen=").append(seen).append(" loss=").append(in.readFloat()).append(" sim=")
                        .append(in.readFloat()).append(" nnSim=").append(in.readFloat());
                if (seen) {
                    byte[] f = new byte[4 * dim];
                    in.readFully(f);
                    e.append(" feat=").append(sha256(f), 0, 16);
                    if (minred) {
                        e.append(" dirty=").append(in.readBoolean());
                        int c = in.readByte();
                        e.append(" bound=").append(in.readFloat()).append(" nn=[");
                        for (int j = 0; j < c; j++) {
                            e.append(j == 0 ? "" : ",").append(in.readInt()).append(':').append(in.readFloat());
                        }
                        e.append(']');
                    }
                }
                out.add(e.toString());
            }
        }
        out.add("trailer magic=" + Long.toHexString(in.readLong()) + " rest=" + in.available());
        return out;
    }
}
