package org.contssl.steps.pretrain;

import java.util.Locale;
import java.util.Optional;

/**
 * When to checkpoint: after the step at which a multiple of {@code save_freq} of the total steps is reached
 * (the reference's rule, docs/reference-system.md §8), named by that nominal progress ({@code checkpoint_0.2500});
 * the last step writes {@code checkpoint_final}. Progress is measured in SGD steps, like the reference.
 */
public record SaveSchedule(long totalSteps, double saveFreq) {

    public static final String FINAL = "checkpoint_final";

    /** The name of the checkpoint due after 1-based step {@code step}, if any. */
    public Optional<String> dueAfter(long step) {
        if (step >= totalSteps) {
            return Optional.of(FINAL);
        }
        long now = multiples(step);
        return now > multiples(step - 1) ? Optional.of(name(now * saveFreq)) : Optional.empty();
    }

    /** Number of save_freq multiples reached at {@code step} (a tiny tolerance absorbs binary fractions like 0.05). */
    private long multiples(long step) {
        return (long) Math.floor((double) step / totalSteps / saveFreq + 1e-9);
    }

    public static String name(double progress) {
        return String.format(Locale.ROOT, "checkpoint_%.4f", progress);
    }
}
