package org.contssl.tools.bench.buffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.contssl.model.Engines;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.optim.LrSchedule;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.Samples;
import org.contssl.tools.bench.train.TrainBenchmark;

/**
 * What MinRed's bookkeeping is compared with: the training time of the chunk it serves. A chunk of B stream records
 * is followed by R SGD steps of batch B, so its training time is R x B x (seconds per image of one SimSiam step).
 * The step is timed in the same process as the buffer, with the backbone at the paper's input (224 px, ImageNet
 * stem), at a small batch a 2-core machine can time in minutes; seconds per image are taken as constant in the batch
 * (on CPU a convolution's cost is linear in the batch once the batch fills the threads, docs/performance.md).
 */
final class ChunkTrainingTime {
    private ChunkTrainingTime() {}

    /** Seconds per image of a {@code model} SimSiam step (both views, backward and SGD update) and how it was timed. */
    record Measured(String model, int batch, List<Double> stepSeconds, double secondsPerImage) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("input", "3x224x224 (ImageNet stem)");
            m.put("timed_batch", batch);
            m.put("step_s", stepSeconds.stream().map(s -> BenchReport.round(s, 3)).toList());
            m.put("median_step_s", BenchReport.round(Samples.median(stepSeconds), 3));
            m.put("s_per_image", BenchReport.round(secondsPerImage, 4));
            return m;
        }
    }

    static Measured measure(String model, int batch, int warmup, int steps, int threads, BenchReport report)
            throws Exception {
        if (!model.equals("resnet18") && !model.equals("resnet50")) {
            throw new IllegalArgumentException("--train-model: " + model + " is not resnet18 or resnet50");
        }
        Engines.configure(threads, 1);
        SimSiamSpec spec = SimSiamSpec.of(model, 3, 224, false);
        Random r = new Random(1);
        float[] v1 = new float[batch * spec.imageFloats()], v2 = new float[v1.length];
        for (int i = 0; i < v1.length; i++) {
            v1[i] = (float) r.nextGaussian();
            v2[i] = (float) r.nextGaussian();
        }
        List<Double> times = new ArrayList<>();
        try (SimSiamTrainer t = SimSiamTrainer.create(spec, OptimSpec.reference(0.05, LrSchedule.COS, warmup + steps),
                0, TrainBenchmark.options("fastest"))) {
            for (int i = 0; i < warmup; i++) {
                t.step(v1, v2, batch);
            }
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                t.step(v1, v2, batch);
                times.add((System.nanoTime() - t0) / 1e9);
                report.say("training reference: %s step %d of batch %d at 224 px: %.2f s", model, i + 1, batch,
                        times.get(i));
            }
        }
        return new Measured(model, batch, times, Samples.median(times) / batch);
    }

    /**
     * MinRed's per-chunk bookkeeping and its one-piece index build as fractions of the training they serve: the
     * chunk's R steps, and one checkpoint interval of the preset (what a crash recovery costs on top of redoing the
     * steps since the last checkpoint).
     */
    static Map<String, Object> compare(BufferBenchmark.TrainReference train, int repeats, int chunk,
                                       Map<String, Object> minred, BenchReport report) throws Exception {
        ChunkTrainingTime.Measured m = measure(train.model(), train.batch(), 1, train.steps(),
                train.threads(), report);
        Map<String, Object> r = new LinkedHashMap<>(m.json());
        double chunkTraining = repeats * (double) chunk * m.secondsPerImage();
        double bookkeeping = ((Number) minred.get("bookkeeping_ms_per_chunk")).doubleValue() / 1000;
        double build = ((Number) minred.get("index_build_s")).doubleValue();
        r.put("chunk_training_s", BenchReport.round(chunkTraining, 2));
        r.put("chunk_training_definition", "R x chunk x s_per_image: the R SGD steps of batch " + chunk
                + " that follow one chunk, from the step timed at batch " + m.batch());
        r.put("bookkeeping_fraction_of_chunk_training", BenchReport.round(bookkeeping / chunkTraining, 5));
        r.put("index_build_in_chunk_trainings", BenchReport.round(build / chunkTraining, 3));
        report.say("minred vs %s training: bookkeeping %.3f s per chunk = %.2f %% of the"
                + " chunk's %.1f s of training; index build %.1f s = %.2f chunks of training", train.model(),
                bookkeeping, 100 * bookkeeping / chunkTraining, chunkTraining, build, build / chunkTraining);
        if (train.intervalSteps() > 0) {
            double interval = train.intervalSteps() * (double) chunk * m.secondsPerImage();
            r.put("checkpoint_interval_preset", train.preset());
            r.put("checkpoint_interval_steps", train.intervalSteps());
            r.put("checkpoint_interval_s", BenchReport.round(interval, 1));
            r.put("index_build_fraction_of_checkpoint_interval", BenchReport.round(build / interval, 7));
            report.say("index build = %.5f %% of one checkpoint interval of %s"
                    + " (%,d steps, %.0f s at this speed)", 100 * build / interval, train.preset(),
                    train.intervalSteps(), interval);
        }
        return r;
    }
}
