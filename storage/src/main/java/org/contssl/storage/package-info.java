/**
 * Replay buffers and checkpoint files for single-pass self-supervised training (no Spring, no DJL).
 *
 * <h2>Replay buffers</h2>
 * {@link org.contssl.storage.ReplayBuffers#open} / {@code create} / {@code restore} give a
 * {@link org.contssl.storage.ReplayBuffer} for a {@link org.contssl.storage.BufferSpec} (policy fifo | minred |
 * reservoir, capacity, feature dimension, virtual shards W, seed). Entries hold stream positions and training
 * statistics, never pixels. The durable state is one persisted Chronicle Map ({@code replay.cm}) mirrored in heap
 * arrays for speed; every operation commits through a redo journal ({@code replay.journal}) so a kill -9 reopens into
 * a state the buffer really had. Checkpoints use {@code snapshotTo}/{@code restoreFrom}: exact, including sampler and
 * reservoir generator states, buffer order and MinRed's neighbour index, so a resumed run is bit-identical.
 *
 * <h2>MinRed</h2>
 * Eviction follows the reference (docs/reference-system.md, "MinRed's eviction rule"): trained entries only; fewer
 * than 2n of them: the n oldest; else repeatedly the entry whose nearest remaining neighbour is most similar, ties to
 * the earliest. The implementation keeps, per
 * trained entry, its few nearest neighbours with exact cosines plus a bound on the rest, and updates them when
 * features change (one blocked U x m Gram product per chunk) or entries leave, so a chunk costs O(U m d) instead of
 * O(m^2 d). All cosines use one fixed float arithmetic ({@code internal.Dots}), so the choices equal the full-matrix
 * method's, ties included. The vector kernel needs {@code --add-modules jdk.incubator.vector}; without it a
 * bit-identical scalar kernel runs (several times slower).
 *
 * <h2>Inside ({@code internal})</h2>
 * A buffer is W {@code Shard}s. Each shard's entries live in an {@code EntryTable}, whose declared column list is the
 * one place that says what an entry holds: growth, the snapshot encoding and the map-record encoding all follow it
 * (add a field there and bump its layout version). What differs between policies is an {@code EvictionPolicy}:
 * {@code FifoEviction}, {@code ReservoirEviction}, {@code MinRedEviction} (with its {@code NeighbourIndex}); a new
 * policy is one such class plus its line in {@code EvictionPolicy.create}. The durable copy is {@code BufferFile}
 * (map records in {@code MapRecords}, updates through the {@code RedoJournal}); checkpoints use
 * {@code BufferSnapshot}. Fixtures written by earlier builds (test resources, {@code fixtures/}) must keep restoring.
 *
 * <h2>Checkpoints</h2>
 * {@link org.contssl.storage.checkpoint.CheckpointStore} writes named checkpoints of named binary sections
 * atomically with a SHA-256 manifest and loads the newest valid one, reporting the ones it skipped.
 */
package org.contssl.storage;
