package org.contssl.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A replay buffer of stream positions and their training statistics (never pixels: a replayed entry is re-read and
 * re-augmented by the caller). Durable in a Chronicle Map file; mirrored in memory for speed. Not thread-safe: one
 * training loop drives it.
 */
public interface ReplayBuffer extends AutoCloseable {

    BufferSpec spec();

    /**
     * One incoming chunk of the stream: post-subsample stream positions (the same numbers {@link #updateStats} will
     * receive) and their labels (-1 when unknown; kept for composition diagnostics only). With W shards the chunk is
     * cut into W equal consecutive pieces, piece r going to shard r. Applies the policy's eviction: FIFO drops the
     * oldest, MinRed evicts size - capacity entries (docs/reference-system.md, "MinRed's eviction rule"), reservoir
     * keeps a uniform sample of the stream so far.
     */
    void insert(long[] streamIdx, int[] labels);

    int size();

    int capacity();

    /** Every shard holds its capacity (the fill phase is over). */
    boolean isFull();

    /**
     * b entries drawn uniformly without replacement (with replacement only if a shard holds fewer than b/W); with W
     * shards b/W from each shard, concatenated in shard order. Advances the sampling generator, whose state is part of
     * the snapshot.
     */
    long[] sample(int b);

    /**
     * Statistics of one training step for the entries of its mini-batch: per-sample loss, cos(z1, z2) and
     * normalize(z1 + z2). First value stored, then halved running averages (feature re-normalised); num_seen + 1.
     * Positions no longer in the buffer are ignored.
     */
    void updateStats(long[] streamIdx, float[] loss, float[] viewSim, float[][] feature);

    BufferDiagnostics diagnostics();

    /** Is this stream position in the buffer? */
    boolean contains(long streamIdx);

    /** Stream positions evicted by the last {@link #insert}, shard by shard in eviction order. */
    long[] lastEvicted();

    /**
     * How many of {@link #lastEvicted} MinRed chose oldest-first because fewer than 2n of the shard's entries had
     * been trained (docs/reference-system.md, "MinRed's eviction rule"); 0 for FIFO and reservoir. A MinRed buffer
     * whose evictions are all oldest-first keeps exactly what FIFO keeps (docs/reproducing.md).
     */
    int lastOldestFirstEvictions();

    /** Stream positions held, shard by shard in buffer order (oldest first). */
    long[] streamIndices();

    /** Exact state (entries, order, statistics, neighbour index, generator states) for a checkpoint. */
    void snapshotTo(OutputStream out) throws IOException;

    /** Puts the buffer back into exactly the state of a snapshot, replacing the durable file's content. */
    void restoreFrom(InputStream in) throws IOException;

    /** Flushes, closes the map and leaves the clean-close marker. */
    @Override
    void close();
}
