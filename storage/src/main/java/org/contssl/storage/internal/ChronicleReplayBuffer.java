package org.contssl.storage.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.contssl.core.AtomicFiles;
import org.contssl.storage.BufferDiagnostics;
import org.contssl.storage.BufferPolicy;
import org.contssl.storage.BufferSpec;
import org.contssl.storage.BufferStateException;
import org.contssl.storage.ReplayBuffer;

/** {@link ReplayBuffer} over W {@link Shard}s mirrored into one {@link BufferFile}. */
public final class ChronicleReplayBuffer implements ReplayBuffer {
    private static final String SIDECAR = "replay.close-snapshot";

    private final BufferSpec spec;
    private final BufferFile file;
    private Shard[] shards;
    private boolean closed;

    private ChronicleReplayBuffer(BufferSpec spec, BufferFile file) {
        this.spec = spec;
        this.file = file;
        this.shards = Shard.forSpec(spec);
    }

    /** Opens the buffer of {@code dir} (creating it if absent, or discarding an existing one if {@code fresh}). */
    public static ChronicleReplayBuffer open(BufferSpec spec, Path dir, boolean fresh) {
        if (spec.policy() == BufferPolicy.NONE) {
            throw new IllegalArgumentException("model.buffer_type=none has no replay buffer; train on each incoming"
                    + " chunk directly");
        }
        BufferFile f = BufferFile.open(dir, spec, fresh);
        ChronicleReplayBuffer b = new ChronicleReplayBuffer(spec, f);
        try {
            if (f.isEmpty()) {
                // new, or created but killed before its first record (nothing was ever stored): start it anew
                f.putSpec();
                f.commit(b.shards);
            } else {
                f.load(b.shards);
                b.adoptCloseSidecar(f.recovered);
            }
        } catch (RuntimeException e) {
            f.closeQuietly();
            if (e instanceof BufferStateException) {
                throw e;
            }
            throw new BufferStateException("buffer file " + f.file() + " cannot be read (" + BufferFile.oneLine(e)
                    + "); restart from the previous checkpoint, which restores the buffer from its snapshot", e);
        }
        return b;
    }

    /**
     * The map does not hold the derived neighbour lists nor the free-slot order, so a clean close also writes an exact
     * snapshot beside it; if it belongs to the state just loaded (same update count) it replaces the loaded mirror,
     * making close + reopen exact. After a crash it is stale by construction and ignored.
     */
    private void adoptCloseSidecar(boolean recovered) throws RuntimeException {
        Path side = file.dir().resolve(SIDECAR);
        AtomicFiles.removeStaleTemps(side); // left by a close killed mid-write
        if (!Files.exists(side)) {
            return;
        }
        try {
            if (!recovered) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                        Files.newInputStream(side), 1 << 16))) {
                    if (in.readLong() == file.ops()) {
                        shards = BufferSnapshot.read(spec, in, "buffer close-time snapshot " + side);
                    }
                }
            }
            Files.deleteIfExists(side);
        } catch (IOException | BufferStateException e) {
            // the map itself was valid and is already loaded; the sidecar only adds the derived state
            try {
                Files.deleteIfExists(side);
            } catch (IOException ignored) {
                // stale sidecars are recognised by their update count
            }
        }
    }

    /** Recreates the buffer of {@code dir} from a snapshot, whatever state the file was left in. */
    public static ChronicleReplayBuffer restore(BufferSpec spec, Path dir, InputStream snapshot) throws IOException {
        ChronicleReplayBuffer b = open(spec, dir, true);
        try {
            b.restoreFrom(snapshot);
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("replay buffer " + file.file() + " is closed");
        }
    }

    @Override
    public BufferSpec spec() {
        return spec;
    }

    @Override
    public void insert(long[] streamIdx, int[] labels) {
        checkOpen();
        int n = streamIdx.length;
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("insert: " + n + " stream positions but " + labels.length + " labels");
        }
        int w = shards.length;
        if (n % w != 0) {
            throw new IllegalArgumentException("insert: chunk of " + n + " is not divisible by model.buffer_shards="
                    + w + "; use a batch size that is a multiple of the shard count");
        }
        Set<Long> inChunk = new HashSet<>();
        for (long id : streamIdx) {
            if (!inChunk.add(id) || contains(id)) {
                throw new IllegalArgumentException("insert: stream position " + id + " is already in the buffer;"
                        + " each stream position may enter once (single pass)");
            }
        }
        int[] lab = labels;
        if (lab == null) {
            lab = new int[n];
            java.util.Arrays.fill(lab, -1);
        }
        int piece = n / w;
        for (int r = 0; r < w; r++) {
            shards[r].insert(streamIdx, lab, r * piece, (r + 1) * piece);
        }
        file.commit(shards);
    }

    @Override
    public int size() {
        int s = 0;
        for (Shard sh : shards) {
            s += sh.size();
        }
        return s;
    }

    @Override
    public int capacity() {
        return spec.capacity();
    }

    @Override
    public boolean isFull() {
        for (Shard sh : shards) {
            if (sh.size() < sh.capacity()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long[] sample(int b) {
        checkOpen();
        int w = shards.length;
        if (b <= 0 || b % w != 0) {
            throw new IllegalArgumentException("sample: batch size " + b + " must be a positive multiple of"
                    + " model.buffer_shards=" + w);
        }
        int per = b / w;
        long[] out = new long[b];
        for (int r = 0; r < w; r++) {
            shards[r].sample(per, out, r * per);
        }
        file.commit(shards); // the generator states moved
        return out;
    }

    @Override
    public void updateStats(long[] idx, float[] loss, float[] viewSim, float[][] feature) {
        checkOpen();
        int n = idx.length;
        if (loss.length != n || viewSim.length != n || feature.length != n) {
            throw new IllegalArgumentException("updateStats: " + n + " positions but " + loss.length + " losses, "
                    + viewSim.length + " similarities, " + feature.length + " features");
        }
        for (int i = 0; i < n; i++) {
            checkFeature(idx[i], loss[i], viewSim[i], feature[i]);
        }
        for (int i = 0; i < n; i++) {
            for (Shard sh : shards) {
                if (sh.updateStats(idx[i], loss[i], viewSim[i], feature[i])) {
                    break;
                }
            }
        }
        file.commit(shards);
    }

    private void checkFeature(long id, float l, float s, float[] f) {
        if (f == null || f.length != spec.featureDim()) {
            throw new IllegalArgumentException("updateStats: feature of stream position " + id + " has "
                    + (f == null ? "no" : f.length) + " dimensions, the buffer was configured for "
                    + spec.featureDim() + "; check the model's projector output dimension");
        }
        if (!Float.isFinite(l) || !Float.isFinite(s)) {
            throw new IllegalArgumentException("updateStats: loss/similarity of stream position " + id
                    + " is not finite (" + l + ", " + s + "); training diverged, restart from the previous checkpoint"
                    + " with a lower learning rate");
        }
        double ss = 0;
        for (float v : f) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("updateStats: feature of stream position " + id + " is not finite;"
                        + " training diverged, restart from the previous checkpoint with a lower learning rate");
            }
            ss += (double) v * v;
        }
        if (ss != 0 && Math.abs(Math.sqrt(ss) - 1) > 1e-3) {
            throw new IllegalArgumentException("updateStats: feature of stream position " + id + " has norm "
                    + Math.sqrt(ss) + "; pass normalize(z1 + z2)");
        }
    }

    @Override
    public BufferDiagnostics diagnostics() {
        int size = 0, seenCount = 0, maxSeen = 0, nnCount = 0;
        double sumSeen = 0, sumLoss = 0, sumSim = 0, sumNn = 0;
        Map<Integer, Integer> labels = new TreeMap<>();
        int maxAge = 1;
        for (Shard sh : shards) {
            for (int p = 0; p < sh.size; p++) {
                maxAge = Math.max(maxAge, sh.lifespan(sh.order[p]));
            }
        }
        int bins = 1;
        while ((1L << bins) <= maxAge) {
            bins++;
        }
        long[] upper = new long[bins];
        long[] hist = new long[bins];
        for (int i = 0; i < bins; i++) {
            upper[i] = 1L << (i + 1);
        }
        for (Shard sh : shards) {
            for (int p = 0; p < sh.size; p++) {
                int s = sh.order[p];
                EntryTable t = sh.entries;
                size++;
                sumSeen += t.numSeen.get(s);
                maxSeen = Math.max(maxSeen, t.numSeen.get(s));
                if (t.seen.get(s)) {
                    seenCount++;
                    sumLoss += t.loss.get(s);
                    sumSim += t.sim.get(s);
                    if (!Float.isNaN(t.nnSim.get(s))) {
                        nnCount++;
                        sumNn += t.nnSim.get(s);
                    }
                }
                int age = sh.lifespan(s);
                hist[31 - Integer.numberOfLeadingZeros(Math.max(1, age))]++;
                labels.merge(t.label.get(s), 1, Integer::sum);
            }
        }
        return new BufferDiagnostics(size, spec.capacity(), seenCount, size == 0 ? 0 : sumSeen / size, maxSeen,
                seenCount == 0 ? Double.NaN : sumLoss / seenCount, seenCount == 0 ? Double.NaN : sumSim / seenCount,
                nnCount == 0 ? Double.NaN : sumNn / nnCount, upper, hist, labels);
    }

    @Override
    public boolean contains(long streamIdx) {
        for (Shard sh : shards) {
            if (sh.contains(streamIdx)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long[] lastEvicted() {
        int n = 0;
        for (Shard sh : shards) {
            n += sh.lastEvicted.length;
        }
        long[] out = new long[n];
        int k = 0;
        for (Shard sh : shards) {
            System.arraycopy(sh.lastEvicted, 0, out, k, sh.lastEvicted.length);
            k += sh.lastEvicted.length;
        }
        return out;
    }

    @Override
    public int lastOldestFirstEvictions() {
        int n = 0;
        for (Shard sh : shards) {
            n += sh.lastOldestFirst;
        }
        return n;
    }

    @Override
    public long[] streamIndices() {
        long[] out = new long[size()];
        int k = 0;
        for (Shard sh : shards) {
            for (int p = 0; p < sh.size; p++) {
                out[k++] = sh.entries.idx.get(sh.order[p]);
            }
        }
        return out;
    }

    @Override
    public void snapshotTo(OutputStream out) throws IOException {
        checkOpen();
        BufferSnapshot.write(spec, shards, out);
    }

    @Override
    public void restoreFrom(InputStream in) throws IOException {
        checkOpen();
        shards = BufferSnapshot.read(spec, new DataInputStream(new BufferedInputStream(in, 1 << 16)),
                "buffer snapshot");
        file.rewrite(shards);
    }

    /**
     * Leaves the close-time sidecar (update count, then the snapshot) and closes the map. Without the sidecar a
     * reopen rebuilds the derived state from the map: slower, same decisions; so a failure to write it is not fatal.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                AtomicFiles.write(file.dir().resolve(SIDECAR), out -> {
                    new DataOutputStream(out).writeLong(file.ops());
                    BufferSnapshot.write(spec, shards, out);
                });
            } catch (UncheckedIOException e) {
                // see above: the map alone still reopens
            }
            file.close();
        }
    }
}
