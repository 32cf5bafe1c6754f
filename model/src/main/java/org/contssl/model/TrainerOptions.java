package org.contssl.model;

/**
 * Execution knobs that change speed, never the mathematics (each keeps per-view batch-norm statistics, the parity
 * check and bit-exact determinism).
 *
 * @param fuseViews run the two views as one 2b batch through every conv/Linear, with batch norm split per view
 * @param channelsLast NHWC activations (oneDNN's native layout: no reorders around each convolution)
 * @param keepGradients keep a float copy of every gradient of the last step (parity checks only; slow)
 */
public record TrainerOptions(boolean fuseViews, boolean channelsLast, boolean keepGradients) {

    /** The fastest measured configuration (see TrainBenchmark). */
    public static TrainerOptions fastest() {
        return new TrainerOptions(true, true, false);
    }

    /** Two separate forward passes, NCHW: the reference's execution, for comparison. */
    public static TrainerOptions plain() {
        return new TrainerOptions(false, false, false);
    }

    public TrainerOptions withKeepGradients(boolean keep) {
        return new TrainerOptions(fuseViews, channelsLast, keep);
    }
}
