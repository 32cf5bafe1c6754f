package org.contssl.model;

/**
 * Execution knobs that change speed, never the mathematics (each keeps per-view batch-norm statistics, the parity
 * check and bit-exact determinism).
 *
 * <p>Channels-last (NHWC) activations are deliberately not offered: with the bundled libtorch 2.7.1 (oneDNN 3.7.1)
 * on this project's AVX-512 machines, channels-last 1×1 convolutions return wrong values (e.g. 128→512 at 16 px,
 * relative error 0.6) and some strided 1×1 backward passes crash the JVM with SIGFPE.
 *
 * @param fuseViews run both views as one interleaved 2b batch through every conv/Linear, each batch norm seeing the
 *     views as separate channel groups (exact; measured no faster than two passes on 2 CPU cores, and slower without
 *     {@code MALLOC_ARENA_MAX=1} because its 2× larger activations exceed glibc's per-thread heap size)
 * @param keepGradients keep a float copy of every gradient of the last step (parity checks only; slow)
 */
public record TrainerOptions(boolean fuseViews, boolean keepGradients) {

    /** The fastest configuration measured on this stack (see TrainBenchmark): two separate passes. */
    public static TrainerOptions fastest() {
        return plain();
    }

    /** Two separate forward passes, exactly as the reference executes them. */
    public static TrainerOptions plain() {
        return new TrainerOptions(false, false);
    }

    /** Both views in one interleaved batch (per-view batch norm). */
    public static TrainerOptions fused() {
        return new TrainerOptions(true, false);
    }

    public TrainerOptions withKeepGradients(boolean keep) {
        return new TrainerOptions(fuseViews, keep);
    }
}
