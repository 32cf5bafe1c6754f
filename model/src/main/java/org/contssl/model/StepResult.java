package org.contssl.model;

/**
 * What one training step returns: the batch loss, the per-sample statistics the replay buffers need, the LRs used,
 * a collapse monitor and timings.
 *
 * @param step 1-based index of the step just taken
 * @param loss batch mean of {@code perSampleLoss}
 * @param perSampleLoss ℓ_i = −½ [cos(p1_i, z2_i) + cos(p2_i, z1_i)]
 * @param viewSimilarity cos(z1_i, z2_i)
 * @param feature normalize(z1_i + z2_i) (projector outputs, train-mode BN): MinRed's feature
 * @param lrEncoder LR used for encoder + projector
 * @param lrPredictor LR used for the predictor
 * @param zStd mean over dimensions of the batch std of L2-normalised z (both views averaged); ≈ 1/√dim when healthy,
 *     → 0 on collapse
 * @param forwardMs forward + loss time
 * @param backwardMs backward time
 * @param updateMs optimizer time
 * @param totalMs whole step including input staging and output copies
 */
public record StepResult(
        long step,
        float loss,
        float[] perSampleLoss,
        float[] viewSimilarity,
        float[][] feature,
        double lrEncoder,
        double lrPredictor,
        double zStd,
        double forwardMs,
        double backwardMs,
        double updateMs,
        double totalMs) {}
