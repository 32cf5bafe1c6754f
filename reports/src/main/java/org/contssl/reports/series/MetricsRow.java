package org.contssl.reports.series;

/**
 * One row of {@code metrics.csv}, logged by the pretraining step. Column names (in this order) are {@link #COLUMNS}.
 *
 * @param step                      SGD step (1-based count of steps done)
 * @param imagesSeen                stream images consumed so far
 * @param streamFraction            imagesSeen / stream length, in [0,1]
 * @param phase                     fill / stream / drain (or the pipeline's own phase names)
 * @param loss                      SimSiam loss (negative cosine, in [-1, 1])
 * @param lr                        learning rate of the step
 * @param imgPerS                   training throughput (image-steps per second)
 * @param dataWaitS                 seconds waiting for data in the logging window
 * @param computeS                  seconds computing in the logging window
 * @param zStd                      per-dimension std of the L2-normalised projector output (collapse monitor)
 * @param bufferSize                entries in the replay buffer
 * @param bufferMeanNumSeen         mean times the buffer's entries were trained on
 * @param bufferMeanNeighborSim     mean nearest-neighbour cosine in the buffer (MinRed), NaN when not tracked
 */
public record MetricsRow(long step, long imagesSeen, double streamFraction, String phase, double loss, double lr,
                         double imgPerS, double dataWaitS, double computeS, double zStd, long bufferSize,
                         double bufferMeanNumSeen, double bufferMeanNeighborSim) {

    public static final String[] COLUMNS = {"step", "images_seen", "stream_fraction", "phase", "loss", "lr", "img_per_s",
            "data_wait_s", "compute_s", "z_std", "buffer_size", "buffer_mean_num_seen", "buffer_mean_neighbor_sim"};
}
