package org.contssl.steps.pretrain;

/**
 * The counters of a pretraining run, saved in every checkpoint next to the model, optimizer and buffer.
 * Together with the run seed they determine every later random draw (augmentation seeds derive from the
 * step; the buffer's sampling generator is inside its snapshot), so a restored session continues exactly
 * as the uninterrupted run did.
 *
 * @param position       stream records consumed (skipped ones included), across epochs
 * @param steps          SGD steps done
 * @param trainChunks    incoming chunks that owe R steps (those read once the buffer was first full)
 * @param inserted       stream images inserted into the buffer
 * @param domainsClosed  domain-boundary checkpoints written so far (domains streams)
 * @param paramsSha256   SHA-256 of the model parameters at this point
 */
public record SessionState(long position, long steps, long trainChunks, long inserted, int domainsClosed,
                           String paramsSha256) {

    public static SessionState start() {
        return new SessionState(0, 0, 0, 0, 0, null);
    }
}
