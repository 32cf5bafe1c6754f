package org.contssl.steps.pretrain;

import org.contssl.model.data.ImageDecodeException;
import org.springframework.batch.core.step.skip.SkipPolicy;

/**
 * Skips undecodable stream images up to {@code data.skip_limit} of the stream; past it, fails the step with a
 * one-line reason that says how many were skipped and what the last one was. Nothing else is skippable.
 */
public class BadImageSkipPolicy implements SkipPolicy {

    private final java.util.function.LongSupplier streamLength;
    private final double fraction;

    /** The stream length is read when the first bad image shows up (the list exists only once the job runs). */
    public BadImageSkipPolicy(java.util.function.LongSupplier streamLength, double fraction) {
        this.streamLength = streamLength;
        this.fraction = fraction;
    }

    @Override
    public boolean shouldSkip(Throwable t, long skipCount) {
        if (!(t instanceof ImageDecodeException bad)) {
            return false;
        }
        long limit = (long) Math.floor(streamLength.getAsLong() * fraction);
        if (skipCount < limit) {
            return true;
        }
        throw new TooManyBadImagesException(String.format(
                "more than %d bad images in the stream (data.skip_limit=%s of it); the last: %s — fix or remove the"
                        + " files (skipped.csv lists them) or raise data.skip_limit, then restart",
                limit, fraction, bad.getMessage()));
    }

    /** The step failure when the skip limit is exceeded. */
    public static class TooManyBadImagesException extends RuntimeException {
        public TooManyBadImagesException(String message) {
            super(message);
        }
    }
}
