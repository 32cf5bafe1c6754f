package org.contssl.steps.pretrain;

/**
 * The reference's step accounting (docs/reference-system.md, "Step accounting") for one run, computed up front
 * and printed at the start.
 *
 * <p>With a buffer of capacity S, global batch B and R updates per incoming chunk: the stream is cut to
 * T = ⌊N/B⌋·B records (the shorter tail is dropped, as the reference's {@code drop_last}); the total is
 * L = T·R/B SGD steps, so "×R single pass" is compute-matched to R epochs. The first S/B − 1 chunks only fill
 * the buffer; every later chunk yields exactly R steps; after the stream ends the frozen buffer is sampled
 * until L steps are done, i.e. R·(S/B − 1) drain steps. Without a buffer every chunk is one step, for E epochs.
 *
 * <p>These are the nominal counts; bad images skipped from the stream can delay the moment the buffer is
 * full, and the drain phase then absorbs the difference so the total stays L.
 */
public record PretrainPlan(long streamLength, long keptLength, long droppedTail, int batch, int updates,
                           int capacity, boolean buffered, int epochs, long fillChunks, long streamSteps,
                           long drainSteps, long totalSteps) {

    /**
     * The plan of a configuration over a stream of {@code streamLength} records (after subsampling): the one
     * place both the pretrain step and {@code plan} take their step counts from.
     */
    public static PretrainPlan of(org.contssl.steps.config.RunConfig config, long streamLength) {
        org.contssl.steps.config.RunConfig.Model m = config.model();
        return of(streamLength, config.optim().batchSize(), m.numUpdates(), m.buffSiz(), m.buffered(),
                config.optim().epochs());
    }

    public static PretrainPlan of(long streamLength, int batch, int updates, int capacity, boolean buffered,
                                  int epochs) {
        long chunks = streamLength / batch;
        long kept = chunks * batch;
        if (!buffered) {
            return new PretrainPlan(streamLength, kept, streamLength - kept, batch, 1, 0, false, epochs, 0,
                    chunks * epochs, 0, chunks * epochs);
        }
        if (capacity % batch != 0) {
            throw new IllegalArgumentException("buffer capacity " + capacity + " must be a multiple of the batch " + batch);
        }
        long fill = capacity / batch - 1;
        if (fill >= chunks) {
            throw new IllegalArgumentException("the buffer (" + capacity + " entries) is larger than the stream ("
                    + kept + " records): lower model.buff_siz or use a longer stream");
        }
        long total = kept * updates / batch;
        long stream = (chunks - fill) * updates;
        return new PretrainPlan(streamLength, kept, streamLength - kept, batch, updates, capacity, true, 1, fill,
                stream, total - stream, total);
    }

    /** Chunks of B records read from the stream over the whole run (all epochs). */
    public long totalChunks() {
        return keptLength / batch * epochs;
    }

    public String describe() {
        return buffered
                ? String.format("stream %,d records (%,d dropped tail) in chunks of %d; buffer %,d; R=%d: fill %,d chunks"
                        + " without training, stream %,d steps, drain %,d steps, total %,d steps (%,d image-steps)",
                        keptLength, droppedTail, batch, capacity, updates, fillChunks, streamSteps, drainSteps,
                        totalSteps, totalSteps * batch)
                : String.format("stream %,d records (%,d dropped tail) in chunks of %d; no buffer: %d epoch(s), total"
                        + " %,d steps (%,d image-steps)", keptLength, droppedTail, batch, epochs, totalSteps,
                        totalSteps * batch);
    }
}
