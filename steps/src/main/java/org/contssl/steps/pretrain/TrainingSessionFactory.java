package org.contssl.steps.pretrain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.contssl.lists.MemmapList;
import org.contssl.model.Engines;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.TrainerOptions;
import org.contssl.model.data.AugmentConfig;
import org.contssl.model.data.AugmentPool;
import org.contssl.model.data.ImageDecoder;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.workdir.Workdir;
import org.contssl.storage.BufferPolicy;
import org.contssl.storage.BufferSpec;
import org.contssl.storage.ReplayBuffer;
import org.contssl.storage.ReplayBuffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a training session from the configuration and puts it where the run left off: the newest valid
 * checkpoint (model + optimizer + buffer snapshot + counters) if there is one, else a fresh start (optionally
 * from {@code model.pretrained}). The live buffer file is never trusted on its own: a crash can fall between
 * it and the checkpoint, so the buffer is always rebuilt from the checkpoint's snapshot.
 */
public final class TrainingSessionFactory {

    private static final Logger log = LoggerFactory.getLogger(TrainingSessionFactory.class);
    /** Decoded images kept for replay (an entry is trained on about R times while it stays in the buffer). */
    private static final long DECODED_CACHE_BYTES = 256L << 20;

    private TrainingSessionFactory() {
    }

    public static TrainingSession open(RunConfig config, Workdir workdir, Path streamList,
                                       CheckpointListener listener) {
        Engines.Info engine = Engines.configure(config.environment().threads(), 1);
        Engines.useDevice(config.environment().device());
        log.info("engine {} {} with {} intra-op / {} inter-op threads", engine.engine(), engine.version(),
                engine.intraOpThreads(), engine.interOpThreads());
        MemmapList stream = MemmapList.open(streamList);
        RunConfig.Model m = config.model();
        RunConfig.Optim o = config.optim();
        PretrainPlan plan = PretrainPlan.of(config, stream.size());
        log.info("pretrain plan: {}", plan.describe());
        long seed = config.environment().seed();
        SimSiamSpec spec = SimSiamSpec.of(m.backbone(), config.data().channels(), config.data().insize(), m.cifarStem());
        OptimSpec optim = new OptimSpec(o.lr(), o.momentum(), o.weightDecay(), o.lrSchedule().schedule(),
                plan.totalSteps(), o.fixPredLr());
        SimSiamTrainer trainer = SimSiamTrainer.create(spec, optim, Seeds.derive(seed, Seeds.Purpose.MODEL_INIT),
                TrainerOptions.fastest());
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(workdir.create(workdir.checkpointsDir()));
        BufferSpec bufferSpec = m.buffered() ? new BufferSpec(BufferPolicy.parse(m.policy()),
                m.buffSiz(), spec.dim(), m.bufferShards(), Seeds.derive(seed, Seeds.Purpose.BUFFER_SAMPLING),
                m.limitNumSeen()) : null;

        SessionState state = SessionState.start();
        ReplayBuffer buffer = null;
        String restoredFrom = null;
        Optional<TrainingCheckpoints.Restorable> latest = checkpoints.latestValid();
        try {
            if (latest.isPresent()) {
                TrainingCheckpoints.Restorable cp = latest.get();
                try (InputStream model = cp.model()) {
                    trainer.loadState(model, cp.name());
                }
                if (bufferSpec != null) {
                    try (InputStream snapshot = cp.buffer()) {
                        buffer = ReplayBuffers.restore(bufferSpec, workdir.bufferDir(), snapshot);
                    }
                }
                state = cp.state();
                restoredFrom = cp.name();
                log.info("resuming from {}: step {}/{}, stream position {}", cp.name(), state.steps(),
                        plan.totalSteps(), state.position());
            } else {
                if (bufferSpec != null) {
                    buffer = ReplayBuffers.create(bufferSpec, workdir.bufferDir());
                }
                if (!m.pretrained().isBlank()) {
                    loadPretrained(trainer, Path.of(m.pretrained()), spec);
                }
            }
        } catch (IOException e) {
            trainer.close();
            stream.close();
            throw new UncheckedIOException("cannot restore the training state: " + e.getMessage(), e);
        }
        AugmentPool pool = new AugmentPool(new ImageDecoder(config.data().maxImagePixels(),
                ImageDecoder.DEFAULT_MAX_FILE_BYTES), augmentConfig(config), config.environment().loaderThreads(), 2,
                DECODED_CACHE_BYTES);
        CompositionGroups groups = CompositionGroups.of(stream);
        MetricsLog metrics = new MetricsLog(workdir.metricsCsv(), workdir.bufferCompositionCsv(),
                workdir.bufferMechanismCsv(), groups.names());
        metrics.resumeAfter(state.steps());
        PretrainContext ctx = new PretrainContext(plan, new SaveSchedule(plan.totalSteps(), config.logging().saveFreq()),
                stream, trainer, buffer, pool, seed, config.logging().printFreq(), groups, listener,
                StreamFiles.of(config, stream, seed));
        return new TrainingSession(ctx, checkpoints, metrics, state, restoredFrom);
    }

    /**
     * {@code model.pretrained}: encoder and predictor from a contssl checkpoint or a PyTorch file (names mapped,
     * shapes checked by {@link PretrainedSource}); optimizer and buffer start fresh.
     */
    private static void loadPretrained(SimSiamTrainer trainer, Path path, SimSiamSpec spec) throws IOException {
        trainer.loadPretrained(PretrainedSource.read(path, spec), path.toString());
        log.info("initialised encoder and predictor from {}", path);
    }

    public static AugmentConfig augmentConfig(RunConfig config) {
        RunConfig.Augment a = config.augment();
        return AugmentConfig.simsiam(config.data().insize(), config.data().channels()).toBuilder()
                .scale(a.cropScaleMin(), 1.0)
                .jitter(a.jitterP(), 0.4, 0.4, 0.4, 0.1)
                .grayProb(a.grayscaleP())
                .blur(a.blurP(), a.blurSigmaMin(), a.blurSigmaMax())
                .flipProb(a.flipP())
                .build();
    }
}
