package org.contssl.storage.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.contssl.storage.BufferPolicy;

/**
 * What distinguishes the replay policies inside one {@link Shard}: how a piece of an incoming chunk enters and which
 * entries leave, plus whatever per-entry state a policy keeps beside the {@link EntryTable} (MinRed's neighbour
 * lists), which it then also saves in the snapshot. {@link #create} is the one place that maps a {@link BufferPolicy}
 * to its implementation; the hooks default to "nothing to keep".
 */
interface EvictionPolicy {

    static EvictionPolicy create(BufferPolicy policy, Shard shard) {
        switch (policy) {
            case FIFO:
                return new FifoEviction(shard);
            case RESERVOIR:
                return new ReservoirEviction(shard);
            case MINRED:
                return new MinRedEviction(shard);
            default:
                throw new IllegalArgumentException("model.buffer_type=" + policy.configName()
                        + " has no replay buffer");
        }
    }

    /**
     * Takes stream positions {@code ids[from, to)} into the shard and evicts what the policy says, recording the
     * evicted positions in {@link Shard#lastEvicted} in eviction order.
     */
    void insert(long[] ids, int[] labels, int from, int to);

    /** The entry table grew to {@code slots} slots (existing state kept). */
    default void grown(int slots) {
    }

    /** The entry table was emptied and sized to {@code slots} slots (a snapshot is being read). */
    default void cleared(int slots) {
    }

    /** Slot {@code s} received a new entry. */
    default void added(int s) {
    }

    /** The statistics (and feature) of the entry in slot {@code s} changed. */
    default void updated(int s) {
    }

    /** The entry in slot {@code s} leaves outside an insert (it reached {@code limit_num_seen}). */
    default void dropping(int s) {
    }

    /** The entry in slot {@code s} was loaded from the map, which keeps no policy state. */
    default void loaded(int s) {
    }

    /** Saves the policy's state of a trained entry; follows the entry in the snapshot. */
    default void writeTrained(DataOutput out, int s) throws IOException {
    }

    /** Reads what {@link #writeTrained} saved. */
    default void readTrained(DataInput in, int s, String source) throws IOException {
    }
}
