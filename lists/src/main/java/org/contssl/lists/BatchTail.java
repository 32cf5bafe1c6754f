package org.contssl.lists;

/**
 * The reference drops the tail of the stream shorter than one global batch ({@code docs/reference-system.md}, step
 * accounting): {@code T = floor(N / (b*W)) * b*W} samples are kept, {@code N - T} dropped.
 *
 * @param total       stream length N
 * @param globalBatch b*W (per-rank batch times world size)
 * @param kept        T
 * @param dropped     N - T (report it)
 */
public record BatchTail(long total, long globalBatch, long kept, long dropped) {

    public static BatchTail of(long total, int perRankBatch, int worldSize) {
        if (total < 0 || perRankBatch < 1 || worldSize < 1) {
            throw new IllegalArgumentException("need total >= 0, batch >= 1, world size >= 1; got " + total + ", "
                    + perRankBatch + ", " + worldSize);
        }
        long g = (long) perRankBatch * worldSize;
        long kept = total / g * g;
        return new BatchTail(total, g, kept, total - kept);
    }

    /** Number of global batches (= optimiser steps per pass without a buffer). */
    public long batches() {
        return kept / globalBatch;
    }
}
