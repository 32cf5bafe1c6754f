package org.contssl.tools.bench.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.contssl.lists.MemmapList;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.lists.stream.StreamPlanner;
import org.contssl.model.Engines;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.TrainerOptions;
import org.contssl.model.data.ImageDecoder;
import org.contssl.model.optim.LrSchedule;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.lists.StreamRequests;
import org.contssl.steps.pretrain.ImageCheckProcessor;
import org.contssl.steps.pretrain.StreamItem;
import org.contssl.steps.pretrain.TrainingSession;
import org.contssl.steps.pretrain.TrainingSessionFactory;
import org.contssl.steps.workdir.Workdir;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.Timing;
import org.contssl.tools.bench.loader.PhotoSet;

/**
 * {@code bench pipeline}: end-to-end pretraining throughput on real Fashion-MNIST files — read the stream, decode,
 * augment on the loader pool, insert/evict/sample the Chronicle Map buffer, train, hand statistics back, write
 * checkpoints every 5 % — against the pure training-step rate of the same model on in-memory tensors, measured in the
 * same process right before (ratio ≈ 1 means the data path hides behind compute). Also reports the share of wall
 * time spent writing checkpoints.
 */
public final class PipelineBenchmark {

    private PipelineBenchmark() {
    }

    /**
     * @param stream images in the stream (20,000: the demo's stream, 312 steps, checkpoints every 5 % of them)
     * @param workdir where the stream and the run's files go, or null for a temporary directory
     * @param overrides {@code key=value} configuration overrides on top of the benchmark's own
     */
    public record Options(int stream, Path workdir, List<String> overrides, boolean jpeg) {
        public Options {
            overrides = List.copyOf(overrides);
        }

        public static Options defaults() {
            return new Options(20_000, null, List.of(), false);
        }
    }

    /**
     * The ImageNet-shaped variant ({@code --jpeg}): a text list of distinct 256-px JPEG crops of real photos, ResNet-18
     * with the ImageNet stem at 224 px, batch 8 (what two cores train in about a second), a buffer of two chunks and
     * R = 4 (256 records, 128 steps), so the stream's decode + two 224-px views per image must keep up with a step
     * that is ~300x the demo's.
     */
    private static List<String> jpegOverrides(Path workdir) throws Exception {
        List<Path> photos = PhotoSet.crops(workdir.resolve("photos"), 4, 64);
        Path list = workdir.resolve("photos.txt");
        StringBuilder sb = new StringBuilder();
        for (Path p : photos) {
            sb.append(p.getFileName()).append('\n');
        }
        Files.writeString(list, sb);
        return List.of("data.train_filelist=" + list, "data.type=standard", "data.base_dir=" + workdir.resolve("photos"),
                "data.insize=224", "data.channels=3", "model.backbone=resnet18", "model.cifar_stem=false",
                "optim.batch_size=8", "model.buff_siz=16", "model.num_updates=4", "logging.save_freq=0.25");
    }

    /** Runs the benchmark; progress lines go to {@code log}. */
    public static BenchReport run(Options o, PrintStream log) throws Exception {
        Path root = o.workdir() != null ? o.workdir() : Files.createTempDirectory("contssl-bench-pipeline");
        List<String> all = new ArrayList<>(List.of("data.num_files=" + o.stream(), "data.ood_probe=false",
                "data.probe_train_size=100", "data.probe_test_size=100", "logging.save_freq=0.05"));
        if (o.jpeg()) {
            all.addAll(jpegOverrides(root));
        }
        all.addAll(o.overrides());
        RunConfig config = ConfigLoader.load(null, all).config();
        Workdir workdir = new Workdir(root);
        Engines.configure(config.environment().threads(), 1);
        BenchReport report = BenchReport.start("pipeline", log);

        report.say("building the %s stream in %s", o.jpeg() ? "256-px JPEG" : o.stream() + "-image Fashion-MNIST",
                workdir.root());
        StreamPlan plan = StreamPlanner.build(StreamRequests.of(config, workdir));

        double pure = pureStepRate(report, config);
        Result e2e = endToEnd(report, config, workdir, plan.streamList());

        ObjectNode out = report.json();
        out.put("model", config.model().backbone());
        out.put("input", o.jpeg() ? "256-px JPEG crops of real photos (" + plan.streamLength() + " files)"
                : "28-px Fashion-MNIST PNGs");
        out.put("insize", config.data().insize());
        out.put("batch", config.optim().batchSize());
        out.put("buffer", config.model().policy() + " " + config.model().buffSiz());
        out.put("num_updates", config.model().numUpdates());
        out.put("intra_op_threads", Engines.info().intraOpThreads());
        out.put("loader_threads", config.environment().loaderThreads());
        out.put("pure_step_img_per_s", round(pure));
        out.put("pipeline_img_steps_per_s", round(e2e.imagesPerSecond()));
        out.put("ratio_pipeline_vs_pure", round(e2e.imagesPerSecond() / pure));
        out.put("steps", e2e.steps());
        out.put("wall_s", round(e2e.seconds()));
        out.put("checkpoint_s", round(e2e.checkpointSeconds()));
        out.put("checkpoint_fraction_of_wall", round(e2e.checkpointSeconds() / e2e.seconds()));
        report.say("pure step:   %.1f img/s (%s, %d px, batch %d)", pure,
                config.model().backbone(), config.data().insize(), config.optim().batchSize());
        report.say("pipeline:    %.1f image-steps/s over %d steps (%.1f s)",
                e2e.imagesPerSecond(), e2e.steps(), e2e.seconds());
        report.say("ratio:       %.3f (pipeline / pure)", e2e.imagesPerSecond() / pure);
        report.say("checkpoints: %.2f s = %.2f %% of wall time (save_freq %.2f)",
                e2e.checkpointSeconds(), 100 * e2e.checkpointSeconds() / e2e.seconds(),
                config.logging().saveFreq());
        return report;
    }

    private record Result(long steps, double seconds, double imagesPerSecond, double checkpointSeconds) {
    }

    /** The trainer alone on random normalised views already in memory: median of 30 timed steps after 5 warm-up. */
    private static double pureStepRate(BenchReport report, RunConfig config) throws Exception {
        SimSiamSpec spec = SimSiamSpec.of(config.model().backbone(), config.data().channels(), config.data().insize(),
                config.model().cifarStem());
        int b = config.optim().batchSize();
        Random random = new Random(1);
        float[] v1 = new float[b * spec.imageFloats()];
        float[] v2 = new float[b * spec.imageFloats()];
        for (int i = 0; i < v1.length; i++) {
            v1[i] = (float) random.nextGaussian();
            v2[i] = (float) random.nextGaussian();
        }
        OptimSpec optim = new OptimSpec(config.optim().lr(), 0.9, 1e-4, LrSchedule.CONSTANT, 1000, true);
        double median;
        try (SimSiamTrainer trainer = SimSiamTrainer.create(spec, optim, 7, TrainerOptions.fastest())) {
            median = Timing.repeat(5, 30, () -> trainer.step(v1, v2, b)).medianWall();
        }
        report.say("pure step: median %.1f ms", median * 1000);
        return b / median;
    }

    /** The pretrain step's own code path, chunk by chunk, as the Spring Batch step drives it. */
    private static Result endToEnd(BenchReport report, RunConfig config, Workdir workdir, Path streamList) {
        ImageCheckProcessor check = new ImageCheckProcessor(
                new ImageDecoder(config.data().maxImagePixels(), ImageDecoder.DEFAULT_MAX_FILE_BYTES));
        long start = 0;
        long firstStep = -1;
        try (TrainingSession session = TrainingSessionFactory.open(config, workdir, streamList, (n, s, t) -> { })) {
            MemmapList list = session.stream();
            long kept = session.plan().keptLength();
            int b = config.optim().batchSize();
            for (long pos = 0; pos < kept; pos += b) {
                List<StreamItem> chunk = new ArrayList<>(b);
                for (long i = pos; i < pos + b; i++) {
                    try {
                        chunk.add(check.process(StreamItem.of(list, i, 0)));
                    } catch (Exception bad) {
                        // skipped, as the step's skip policy would
                    }
                }
                if (firstStep < 0 && session.state().steps() == 0) {
                    start = System.nanoTime(); // timing starts with the chunk that brings the first training step
                }
                session.ingest(chunk, pos + b);
                if (firstStep < 0 && session.state().steps() > 0) {
                    firstStep = session.state().steps();
                }
            }
            while (session.drain(10)) {
                // drain phase
            }
            session.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            long steps = session.state().steps();
            report.say("pipeline: %d steps in %.1f s", steps, seconds);
            return new Result(steps, seconds, steps * (double) b / seconds, session.checkpointSeconds());
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
