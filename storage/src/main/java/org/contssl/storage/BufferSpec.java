package org.contssl.storage;

/**
 * What a replay buffer is: policy, total capacity (all shards together), feature dimension, number of virtual shards
 * W (each an independent buffer of capacity/W fed its own 1/W of every incoming chunk, as the reference's W GPUs),
 * seed of its random generators, and MinRed's optional {@code limit_num_seen} (entries trained this many times are
 * dropped; 0 = off, the reference default).
 */
public record BufferSpec(BufferPolicy policy, int capacity, int featureDim, int shards, long seed, int limitNumSeen) {

    public BufferSpec {
        if (policy == null) {
            throw new IllegalArgumentException("model.buffer_type is missing; use one of fifo, minred, reservoir");
        }
        if (shards < 1) {
            throw new IllegalArgumentException("model.buffer_shards=" + shards + " must be at least 1");
        }
        if (capacity < shards || capacity % shards != 0) {
            throw new IllegalArgumentException("model.buff_siz=" + capacity + " must be a positive multiple of "
                    + "model.buffer_shards=" + shards);
        }
        if (featureDim < 1 || featureDim > 1 << 16) {
            throw new IllegalArgumentException("buffer feature dimension " + featureDim + " must be in [1, 65536]");
        }
        if (limitNumSeen < 0) {
            throw new IllegalArgumentException("limit_num_seen=" + limitNumSeen + " must be >= 0 (0 = off)");
        }
    }

    /** One shard, no num_seen limit. */
    public static BufferSpec of(BufferPolicy policy, int capacity, int featureDim, long seed) {
        return new BufferSpec(policy, capacity, featureDim, 1, seed, 0);
    }

    public BufferSpec withShards(int w) {
        return new BufferSpec(policy, capacity, featureDim, w, seed, limitNumSeen);
    }

    public BufferSpec withLimitNumSeen(int limit) {
        return new BufferSpec(policy, capacity, featureDim, shards, seed, limit);
    }

    /** Capacity of each shard. */
    public int shardCapacity() {
        return capacity / shards;
    }
}
