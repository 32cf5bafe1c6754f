package org.contssl.steps.pretrain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.data.AugmentConfig;
import org.contssl.model.data.AugmentPool;
import org.contssl.model.data.ViewBatch;
import org.contssl.storage.ReplayBuffer;

/**
 * The parts a training session works with, built from the configuration by {@link TrainingSessionFactory}:
 * the stream, its plan and save schedule, the trainer, the buffer (null without one) and the loader pool.
 */
final class PretrainContext implements AutoCloseable {

    private final PretrainPlan plan;
    private final SaveSchedule schedule;
    private final MemmapList stream;
    private final SimSiamTrainer trainer;
    private final ReplayBuffer buffer;
    private final AugmentPool pool;
    private final long seed;
    private final int printFreq;
    private final long[] domainEnds;
    private final CompositionGroups groups;
    private final CheckpointListener listener;
    private final StreamFiles files;
    private double checkpointSeconds;

    PretrainContext(PretrainPlan plan, SaveSchedule schedule, MemmapList stream, SimSiamTrainer trainer,
                    ReplayBuffer buffer, AugmentPool pool, long seed, int printFreq, CompositionGroups groups,
                    CheckpointListener listener, StreamFiles files) {
        this.plan = plan;
        this.schedule = schedule;
        this.stream = stream;
        this.trainer = trainer;
        this.buffer = buffer;
        this.pool = pool;
        this.seed = seed;
        this.printFreq = printFreq;
        this.groups = groups;
        this.listener = listener;
        this.files = files;
        this.domainEnds = domainEnds(stream);
    }

    PretrainPlan plan() {
        return plan;
    }

    SaveSchedule schedule() {
        return schedule;
    }

    MemmapList stream() {
        return stream;
    }

    StreamFiles files() {
        return files;
    }

    SimSiamTrainer trainer() {
        return trainer;
    }

    ReplayBuffer buffer() {
        return buffer;
    }

    long seed() {
        return seed;
    }

    int printFreq() {
        return printFreq;
    }

    /** Position after the last record the run reads (all epochs). */
    long streamEnd() {
        return plan.keptLength() * plan.epochs();
    }

    long[] domainEnds() {
        return domainEnds;
    }

    /** Loads and augments a mini-batch; augmentation seeds derive from (run seed, step, slot in the batch). */
    CompletableFuture<ViewBatch> load(long[] indices, long step) {
        List<Path> files = new ArrayList<>(indices.length);
        long[] seeds = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            files.add(this.files.atLoad(indices[i], step, i));
            seeds[i] = Seeds.derive(seed, Seeds.Purpose.AUGMENT_VIEW1, step, i);
        }
        try {
            return pool.submit(files, seeds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing step " + step + "'s images", e);
        }
    }

    /** Hands a trained-on batch's arrays back to the loader pool (see {@link AugmentPool#recycle}). */
    void recycle(ViewBatch views) {
        pool.recycle(views);
    }

    long[] composition(long[] bufferIndices) {
        return groups.count(bufferIndices);
    }

    /**
     * Distinct clips among buffer entries: consecutive runs of {@code clipLength} stream records share a source
     * (a pseudo-video clip or a video of a sequential list); without clips every record is its own source.
     */
    long distinctClips(long[] bufferIndices) {
        ListMetadata meta = stream.metadata();
        long clip = meta == null || meta.clipLength() == null || meta.clipLength() < 1 ? 1 : meta.clipLength();
        return java.util.Arrays.stream(bufferIndices).map(i -> i / clip).distinct().count();
    }

    void onCheckpoint(String name, SessionState state, double seconds) {
        checkpointSeconds += seconds;
        listener.written(name, state, seconds);
    }

    double checkpointSeconds() {
        return checkpointSeconds;
    }

    AugmentConfig augmentConfig() {
        return pool.config();
    }

    private static long[] domainEnds(MemmapList stream) {
        ListMetadata meta = stream.metadata();
        if (meta == null || meta.domains() == null || meta.domains().isEmpty()) {
            return new long[0];
        }
        return meta.domains().stream().mapToLong(ListMetadata.DomainSpan::end).toArray();
    }

    @Override
    public void close() {
        pool.close();
        if (buffer != null) {
            buffer.close();
        }
        trainer.close();
        stream.close();
    }
}
