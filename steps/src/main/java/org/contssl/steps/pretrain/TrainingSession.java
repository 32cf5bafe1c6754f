package org.contssl.steps.pretrain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.contssl.lists.MemmapList;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.StepResult;
import org.contssl.model.data.AugmentPool;
import org.contssl.model.data.SampleFailure;
import org.contssl.model.data.ViewBatch;
import org.contssl.reports.series.BufferMechanismCsv;
import org.contssl.reports.series.MetricsRow;
import org.contssl.storage.BufferDiagnostics;
import org.contssl.storage.ReplayBuffer;
import org.contssl.steps.stop.StopRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-pass buffered SimSiam training, as the reference runs it (docs/reference-system.md §3.5, §6, §7): the
 * stream arrives in chunks of B records; while the buffer first fills nothing is trained; afterwards every chunk
 * owes R SGD steps on mini-batches sampled from the buffer; after the stream ends the frozen buffer is sampled
 * until the step budget T·R/B is spent. Without a buffer every chunk is one step on itself.
 *
 * <p>Each step: sample B buffer entries, re-read and augment their images twice (on the loader pool, one batch
 * ahead of the trainer where no insert or checkpoint lies between), train, hand the per-sample loss, view
 * similarity and normalize(z1+z2) back to the buffer's entries. Checkpoints are written between steps and hold
 * everything that determines the future (model, optimizer, buffer with its sampling generator, counters).
 */
public final class TrainingSession implements AutoCloseable {

    /** Written when a stop is requested between periodic checkpoints; deleted once the final one exists. */
    public static final String STOP = "checkpoint_stop";
    static final String STREAM_END = "checkpoint_stream_end";
    private static final Logger log = LoggerFactory.getLogger(TrainingSession.class);

    private final PretrainContext ctx;
    private final TrainingCheckpoints checkpoints;
    private final MetricsLog metrics;
    private final Progress progress;
    private SessionState state;
    private String lastCheckpoint;
    private Prepared prefetched;
    private final WindowTimer window = new WindowTimer();
    private boolean stopped;

    /** A mini-batch whose images are being loaded and augmented. */
    private record Prepared(long step, long[] indices, CompletableFuture<ViewBatch> views) {
    }

    TrainingSession(PretrainContext ctx, TrainingCheckpoints checkpoints, MetricsLog metrics, SessionState state,
                    String restoredFrom) {
        this.ctx = ctx;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.state = state;
        this.lastCheckpoint = restoredFrom;
        this.progress = Progress.create(ctx.plan().totalSteps(), state.steps(), ctx.printFreq());
    }

    public PretrainPlan plan() {
        return ctx.plan();
    }

    public MemmapList stream() {
        return ctx.stream();
    }

    /** Which file each stream record stands for (video slots draw a frame per load). */
    public StreamFiles files() {
        return ctx.files();
    }

    public long seed() {
        return ctx.seed();
    }

    /** Stream records consumed so far (where the reader continues). */
    public long position() {
        return state.position();
    }

    public SessionState state() {
        return state;
    }

    public String lastCheckpoint() {
        return lastCheckpoint;
    }

    /**
     * True once a requested stop has been honoured: the step in flight finished, {@link #STOP} holds the state, and
     * this session trains nothing more. The caller ends its step STOPPED.
     */
    public boolean stopped() {
        return stopped;
    }

    /** One incoming chunk: its surviving images (bad ones were skipped) and the stream position after it. */
    public void ingest(List<StreamItem> items, long positionAfter) {
        if (stopped) {
            return; // the reader re-reads this chunk after the restart: the stop checkpoint lies before it
        }
        if (ctx.buffer() != null) {
            finishPendingChunk();
            if (stopped) {
                return;
            }
        }
        if (ctx.buffer() == null) {
            state = with(positionAfter, state.steps(), state.trainChunks(), state.inserted() + items.size());
            if (!items.isEmpty()) {
                long[] indices = items.stream().mapToLong(StreamItem::index).toArray();
                train(indices, state.steps() + 1);
            }
        } else {
            items = wholeShardPieces(items, positionAfter);
            long[] indices = new long[items.size()];
            int[] labels = new int[items.size()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = items.get(i).index();
                labels[i] = items.get(i).label();
            }
            ctx.buffer().insert(indices, labels);
            metrics.mechanism(new BufferMechanismCsv.Row(state.steps() + 1, positionAfter, ctx.buffer().size(),
                    ctx.distinctClips(ctx.buffer().streamIndices()), ctx.buffer().lastEvicted().length,
                    ctx.buffer().lastOldestFirstEvictions()));
            long trainChunks = state.trainChunks() + (state.trainChunks() > 0 || ctx.buffer().isFull() ? 1 : 0);
            state = with(positionAfter, state.steps(), trainChunks, state.inserted() + indices.length);
            if (trainChunks == 0) {
                progress.note(String.format(Locale.ROOT, "filling the buffer: %,d / %,d", ctx.buffer().size(),
                        ctx.buffer().capacity()));
            }
            trainUntil(Math.min(trainChunks * ctx.plan().updates(), ctx.plan().totalSteps()));
        }
        if (stopped) {
            return; // the chunk's remaining steps, domain and stream-end checkpoints follow after the restart
        }
        closeChunk();
        stopIfRequested();
    }

    /**
     * A session restored from a checkpoint taken between the R steps of a chunk (a periodic or a stop checkpoint)
     * first finishes that chunk — its steps, then its domain and stream-end checkpoints — exactly as the
     * uninterrupted run did before the next chunk arrived or the drain began. A no-op when nothing is pending.
     */
    private void finishPendingChunk() {
        long owed = owedSteps();
        if (state.steps() < owed) {
            trainUntil(owed);
        }
        if (!stopped && state.steps() == owed) {
            // also after a restore from a checkpoint taken at the chunk's last step, before its closing checkpoints
            closeChunk();
        }
    }

    /** Steps owed by the chunks inserted so far (the buffered schedule; all of them once the stream has ended). */
    private long owedSteps() {
        return Math.min(state.trainChunks() * ctx.plan().updates(), ctx.plan().totalSteps());
    }

    /** The checkpoints due when a chunk's steps are done; idempotent (the domain counter, the stream-end name). */
    private void closeChunk() {
        closeDomains();
        boolean atStreamEnd = state.position() >= ctx.streamEnd()
                && (ctx.buffer() == null || state.steps() == owedSteps());
        if (atStreamEnd && !SaveSchedule.FINAL.equals(lastCheckpoint) && !STREAM_END.equals(lastCheckpoint)) {
            // the drain step resumes from here if the process dies before its first checkpoint
            checkpoint(STREAM_END);
        }
    }

    /**
     * Honours a stop request at a safe point (between steps, after a chunk): writes {@link #STOP} — even when a
     * periodic checkpoint holds the same state, so a stop always leaves the newest checkpoint, whose name says why it
     * exists — and marks the session stopped. Nothing was prefetched at this point
     * (see {@link #trainUntil}), so the checkpointed sampling generator is exactly where the next step needs it.
     */
    private boolean stopIfRequested() {
        if (!StopRequest.requested()) {
            return false;
        }
        checkpoint(STOP);
        log.info("stopped on request ({}) after step {} at stream position {}: checkpoint {}", StopRequest.reason(),
                state.steps(), state.position(), lastCheckpoint);
        stopped = true;
        return true;
    }

    /**
     * The chunk cut to a multiple of the shard count W: with W virtual shards the buffer splits a chunk into W equal
     * pieces, and a skipped bad image leaves a chunk one short. The last {@code n mod W} images are left out of the
     * buffer (logged); cutting at the end keeps every shard's piece in stream order, and the cut depends only on which
     * images were skipped, so a resumed run cuts the same way.
     */
    private List<StreamItem> wholeShardPieces(List<StreamItem> items, long positionAfter) {
        int w = ctx.buffer().spec().shards();
        int keep = items.size() - items.size() % w;
        if (keep == items.size()) {
            return items;
        }
        log.warn("chunk ending at stream position {} has {} images after skipping bad ones; {} left out of the buffer"
                + " so that it splits evenly into model.buffer_shards={} pieces: {}", positionAfter, items.size(),
                items.size() - keep, w, items.subList(keep, items.size()).stream().map(StreamItem::file).toList());
        return items.subList(0, keep);
    }

    /** Continues after the stream has ended: samples the frozen buffer until the step budget is spent. */
    public boolean drain(int maxSteps) {
        if (stopped) {
            return false;
        }
        long target = Math.min(ctx.plan().totalSteps(), state.steps() + maxSteps);
        if (ctx.buffer() != null) {
            finishPendingChunk();
            if (!stopped) {
                trainUntil(target);
            }
        }
        if (!stopped && state.steps() < ctx.plan().totalSteps() && ctx.buffer() != null) {
            stopIfRequested();
        }
        return !stopped && state.steps() < ctx.plan().totalSteps() && ctx.buffer() != null;
    }

    /** Writes {@code checkpoint_final} unless the last step already did. */
    public void finish() {
        if (!SaveSchedule.FINAL.equals(lastCheckpoint)) {
            checkpoint(SaveSchedule.FINAL);
        }
        // a stop checkpoint only served the restart; the probes and the report see the uninterrupted run's set
        checkpoints.delete(STOP);
        progress.update(state.steps(), "done");
    }

    private void trainUntil(long target) {
        while (state.steps() < target) {
            long step = state.steps() + 1;
            Prepared current = prefetched != null && prefetched.step() == step ? prefetched : prepare(step);
            prefetched = null;
            boolean checkpointNext = ctx.schedule().dueAfter(step).isPresent();
            if (step < target && !checkpointNext && !StopRequest.requested()) {
                // sampling ahead is exact only when nothing changes the buffer's membership or generator state
                // before the next step: no insert (we are inside one chunk's R steps), no checkpoint, no stop
                prefetched = prepare(step + 1);
            }
            runStep(current);
            if (prefetched == null && step < target && stopIfRequested()) {
                // between two steps of one chunk (or drain slice); at its last step the caller closes the chunk
                // (domain and stream-end checkpoints) first and then stops, as the uninterrupted run would save
                return;
            }
        }
    }

    private Prepared prepare(long step) {
        long[] indices = ctx.buffer().sample(ctx.plan().batch());
        return new Prepared(step, indices, ctx.load(indices, step));
    }

    private void train(long[] indices, long step) {
        runStep(new Prepared(step, indices, ctx.load(indices, step)));
    }

    private void runStep(Prepared batch) {
        long waitStart = System.nanoTime();
        ViewBatch views = await(batch);
        long computeStart = System.nanoTime();
        StepResult result = ctx.trainer().step(views.view1(), views.view2(), views.size());
        long end = System.nanoTime();
        ctx.recycle(views); // the step copied the views into its input tensor; the arrays serve a later batch
        if (ctx.buffer() != null) {
            ctx.buffer().updateStats(batch.indices(), result.perSampleLoss(), result.viewSimilarity(),
                    result.feature());
        }
        state = with(state.position(), batch.step(), state.trainChunks(), state.inserted());
        window.add(computeStart - waitStart, end - computeStart, views.size());
        log(result);
        ctx.schedule().dueAfter(batch.step()).ifPresent(this::checkpoint);
    }

    private ViewBatch await(Prepared batch) {
        ViewBatch views;
        try {
            views = batch.views().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading step " + batch.step() + "'s images", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("loading step " + batch.step() + "'s images failed: "
                    + e.getCause().getMessage(), e.getCause());
        }
        if (!views.failures().isEmpty()) {
            SampleFailure f = views.failures().get(0);
            throw new ReplayImageException(batch.indices()[f.index()], f);
        }
        return views;
    }

    private void log(StepResult r) {
        long step = r.step();
        boolean logged = step % ctx.printFreq() == 0 || step == ctx.plan().totalSteps()
                || ctx.schedule().dueAfter(step).isPresent();
        BufferDiagnostics d = ctx.buffer() != null && logged ? ctx.buffer().diagnostics() : null;
        // neighbour similarity is only tracked by MinRed; other policies leave it NaN and the line leaves it out
        String bufferStatus = d == null ? "" : String.format(Locale.ROOT, " buf %d seen %.2f%s", d.size(),
                d.meanNumSeen(), Double.isNaN(d.meanNeighbourSimilarity()) ? ""
                        : String.format(Locale.ROOT, " nn %.3f", d.meanNeighbourSimilarity()));
        progress.update(step, String.format(Locale.ROOT, "loss %.4f lr %.4f %.0f img/s%s", r.loss(), r.lrEncoder(),
                window.imagesPerSecond(), bufferStatus));
        if (!logged) {
            return;
        }
        long seen = state.position();
        metrics.write(new MetricsRow(step, seen, (double) seen / ctx.streamEnd(), phase(), r.loss(), r.lrEncoder(),
                window.imagesPerSecond(), window.waitSeconds(), window.computeSeconds(), r.zStd(),
                d == null ? 0 : d.size(), d == null ? Double.NaN : d.meanNumSeen(),
                d == null ? Double.NaN : d.meanNeighbourSimilarity()));
        if (ctx.buffer() != null) {
            metrics.composition(step, ctx.composition(ctx.buffer().streamIndices()));
        }
        window.reset();
    }

    private String phase() {
        if (ctx.buffer() == null) {
            return "stream";
        }
        return state.position() >= ctx.streamEnd() ? "drain" : "stream";
    }

    /** For domains streams: a checkpoint after the R steps of the chunk in which each domain (but the last) ends. */
    private void closeDomains() {
        long[] ends = ctx.domainEnds();
        int closed = state.domainsClosed();
        while (closed < ends.length - 1 && state.position() >= ends[closed]) {
            closed++;
            state = new SessionState(state.position(), state.steps(), state.trainChunks(), state.inserted(), closed,
                    state.paramsSha256());
            checkpoint("checkpoint_domain" + closed);
        }
    }

    private void checkpoint(String name) {
        state = new SessionState(state.position(), state.steps(), state.trainChunks(), state.inserted(),
                state.domainsClosed(), ctx.trainer().parametersSha256());
        long t0 = System.nanoTime();
        metrics.sync(); // the rows up to this step must be as durable as the checkpoint a restart resumes from
        checkpoints.save(name, state, (double) state.steps() / ctx.plan().totalSteps(), ctx.trainer(), ctx.buffer());
        lastCheckpoint = name;
        ctx.onCheckpoint(name, state, (System.nanoTime() - t0) / 1e9);
    }

    private SessionState with(long position, long steps, long trainChunks, long inserted) {
        return new SessionState(position, steps, trainChunks, inserted, state.domainsClosed(), state.paramsSha256());
    }

    /** Seconds spent checkpointing so far (the benchmark reports it as a fraction of wall time). */
    public double checkpointSeconds() {
        return ctx.checkpointSeconds();
    }

    @Override
    public void close() {
        if (prefetched != null) {
            prefetched.views().cancel(false);
            prefetched = null;
        }
        progress.close();
        metrics.close();
        ctx.close();
    }

    /** A replayed image that decoded when it entered the stream but no longer does. */
    public static final class ReplayImageException extends RuntimeException {
        ReplayImageException(long index, SampleFailure failure) {
            super("stream image " + index + " (" + failure.file() + ") was readable when it entered the stream but"
                    + " is not now (" + failure.message() + "): restore the file and restart");
        }
    }

    /** Data-wait vs compute time and throughput over the current logging window. */
    private static final class WindowTimer {
        private long waitNanos;
        private long computeNanos;
        private long images;

        void add(long wait, long compute, int n) {
            waitNanos += wait;
            computeNanos += compute;
            images += n;
        }

        double imagesPerSecond() {
            return images / Math.max((waitNanos + computeNanos) / 1e9, 1e-9);
        }

        double waitSeconds() {
            return waitNanos / 1e9;
        }

        double computeSeconds() {
            return computeNanos / 1e9;
        }

        void reset() {
            waitNanos = 0;
            computeNanos = 0;
            images = 0;
        }
    }
}
