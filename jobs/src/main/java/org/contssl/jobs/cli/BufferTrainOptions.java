package org.contssl.jobs.cli;

import org.contssl.tools.bench.buffer.BufferBenchmark;
import picocli.CommandLine.Option;

/** {@code bench buffer}'s options for the training MinRed's bookkeeping is set against (docs/performance.md). */
final class BufferTrainOptions {

    @Option(names = "--train-model", description = "Also time this backbone's SimSiam step at 224 px in the same"
            + " run (resnet18, resnet50) and state MinRed's bookkeeping and index build as fractions of the"
            + " training they serve (default: none).")
    String trainModel;

    @Option(names = "--train-batch", description = "Batch of the timed steps (default ${DEFAULT-VALUE}).")
    int trainBatch = 4;

    @Option(names = "--train-steps", description = "Timed steps after one warm-up (default ${DEFAULT-VALUE}).")
    int trainSteps = 3;

    @Option(names = "--train-threads", description = "Intra-op threads of the timed steps (default: the cores).")
    Integer trainThreads;

    @Option(names = "--interval-preset", description = "Preset whose checkpoint interval the index build is set"
            + " against (default ${DEFAULT-VALUE}: MinRed, R = 4, a checkpoint every twentieth of the stream).")
    String intervalPreset = "sec6-minred-x4-quarter";

    /** The reference to measure, or null when {@code --train-model} is not given. */
    BufferBenchmark.TrainReference reference() {
        return trainModel == null ? null : BufferBenchmark.TrainReference.of(trainModel, trainBatch, trainSteps,
                trainThreads == null ? Runtime.getRuntime().availableProcessors() : trainThreads, intervalPreset);
    }
}
