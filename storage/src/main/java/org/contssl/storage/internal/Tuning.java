package org.contssl.storage.internal;

/** Knobs for tests and benchmarks; production code leaves the defaults. */
public final class Tuning {
    private Tuning() {}

    /**
     * MinRed candidate count from which similarity work is split over threads (default 4096). Tests set it low so
     * the multi-threaded paths, whose merged results must equal the single-threaded ones, run on small buffers.
     */
    public static void setParallelThreshold(int candidates) {
        NeighbourIndex.parallelMin = Math.max(1, candidates);
    }

    public static int parallelThreshold() {
        return NeighbourIndex.parallelMin;
    }
}
