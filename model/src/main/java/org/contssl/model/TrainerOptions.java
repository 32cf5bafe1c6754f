package org.contssl.model;

/**
 * Execution knobs that change speed, never the mathematics (each keeps per-view batch-norm statistics, the parity
 * check and bit-exact determinism).
 *
 * @param fuseViews run the two views as one 2b batch through every conv/Linear, with batch norm split per view
 * @param channelsLast NHWC activations. <b>Unsafe with the bundled libtorch 2.7.1 on AVX-512 machines</b>: oneDNN
 *     3.7.1 returns wrong results for some channels-last 1×1 convolutions (e.g. 128→512 at 16 px) and crashes on
 *     others; kept only so the benchmark can measure it. Never enabled by {@link #fastest()}.
 * @param keepGradients keep a float copy of every gradient of the last step (parity checks only; slow)
 */
public record TrainerOptions(boolean fuseViews, boolean channelsLast, boolean keepGradients) {

    /** The fastest configuration that is exact on this stack (see TrainBenchmark and the parity check). */
    public static TrainerOptions fastest() {
        return new TrainerOptions(true, false, false);
    }

    /** Two separate forward passes, NCHW: the reference's execution, for comparison. */
    public static TrainerOptions plain() {
        return new TrainerOptions(false, false, false);
    }

    public TrainerOptions withKeepGradients(boolean keep) {
        return new TrainerOptions(fuseViews, channelsLast, keep);
    }
}
