package org.contssl.steps.probe;

import org.contssl.reports.results.EncoderKind;

/**
 * One partition of the probe step: an encoder (a checkpoint, the random-init floor or the raw-pixel floor)
 * probed on one labelled dataset (its held-out train split to fit, its test split to score).
 *
 * @param encoder     checkpoint name, {@code random-init} or {@code raw-pixels}
 * @param checkpoint  checkpoint directory for a trained encoder, else null
 * @param progress    stream progress of the checkpoint (fraction of the SGD steps), else null
 * @param settingsKey which {@code lincls.<key>} settings apply: a user set's own name; for a built-in set its
 *                    role's ({@code imnet} in-distribution, {@code inat} out)
 */
public record ProbeTarget(String encoder, EncoderKind kind, String checkpoint, Double progress, String dataset,
                          String role, String trainList, String testList, int numClasses, String settingsKey) {

    /** Stable partition name: also the name of its feature cache and result files. */
    public String key() {
        return encoder + "@" + dataset;
    }
}
