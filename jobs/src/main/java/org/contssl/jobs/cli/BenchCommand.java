package org.contssl.jobs.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.contssl.model.probe.ProbeSettings;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.augment.AugmentBenchmark;
import org.contssl.tools.bench.buffer.BufferBenchmark;
import org.contssl.tools.bench.lists.ListsBenchmark;
import org.contssl.tools.bench.loader.LoaderBenchmark;
import org.contssl.tools.bench.pipeline.PipelineBenchmark;
import org.contssl.tools.bench.probe.ProbeBenchmark;
import org.contssl.tools.bench.probe.ScaledProbeBenchmark;
import org.contssl.tools.bench.scaleout.ScaleoutBenchmark;
import org.contssl.tools.bench.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench NAME}: one subcommand per benchmark of the tools module. Each declares its options (defaults taken
 * from the benchmark's own {@code Options.defaults()}), builds the options record and prints the result.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print ratios against a baseline measured in the same invocation.",
        subcommands = {BenchCommand.Lists.class, BenchCommand.Buffer.class, BenchCommand.Train.class,
                BenchCommand.Augment.class, BenchCommand.Loader.class, BenchCommand.Probe.class, BenchCommand.Pipeline.class,
                BenchCommand.Scaleout.class},
        footer = {"", "Every benchmark takes --json (one JSON object on stdout, with cpu_model and cpu_flags); see"
                + " `bench NAME --help` for its options.", "", ExitCodes.HELP})
public class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** What every benchmark subcommand shares: --json, where progress goes, how the result is printed. */
    abstract static class Bench implements Callable<Integer> {

        @Option(names = "--json", description = "Print one JSON object on stdout; progress lines go to stderr.")
        boolean json;

        /** Runs the benchmark with progress lines going to {@code progress}. */
        abstract BenchReport measure(PrintStream progress) throws Exception;

        /** Whether text mode prints the result as indented JSON (progress then goes to stderr) instead of lines. */
        boolean indentedJsonInTextMode() {
            return false;
        }

        @Override
        public Integer call() throws Exception {
            PrintStream stdout = System.out;
            boolean resultOnly = json || indentedJsonInTextMode();
            BenchReport report;
            // when stdout carries the JSON result, libraries that log to the console (Chronicle via logback,
            // DJL) must not write into it
            if (resultOnly) {
                System.setOut(System.err);
            }
            try {
                report = measure(resultOnly ? System.err : stdout);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            } finally {
                System.setOut(stdout);
            }
            if (resultOnly) {
                stdout.println(report.toJson(!json));
            }
            stdout.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "lists", mixinStandardHelpOptions = true, description = {
            "Memmap list read rates (sequential, random, replay-buffer window) vs a text list read with a"
                    + " BufferedReader, per wall-clock and per CPU second; importer build rates (Fashion-MNIST)."},
            footer = {"", ExitCodes.HELP})
    static class Lists extends Bench {
        private static final ListsBenchmark.Options D = ListsBenchmark.Options.defaults();

        @Option(names = "--records", description = "List length (default ${DEFAULT-VALUE}).")
        long records = D.records();

        @Option(names = "--random", description = "Random reads (default ${DEFAULT-VALUE}).")
        long random = D.randomReads();

        @Option(names = "--dir", description = "Scratch directory (default: a temporary one, deleted afterwards).")
        Path dir;

        @Option(names = "--no-import", description = "Skip the Fashion-MNIST importer part.")
        boolean noImport;

        @Option(names = "--text-load", description = "Also time holding the whole text list in memory (slow).")
        boolean textLoad;

        @Option(names = "--threads", description = "Export threads (default: all cores, ${DEFAULT-VALUE}).")
        int threads = D.threads();

        @Option(names = "--job-memory", split = ",", paramLabel = "N",
                description = "Instead: peak RSS of the lists job's own-list shuffle and subsample at these record"
                        + " counts (e.g. 20000000,100000000), each in a child JVM; generates lists of many GB.")
        long[] jobSizes = D.jobSizes();

        @Option(names = "--job-heap", description = "-Xmx of those child JVMs (default ${DEFAULT-VALUE}).")
        String jobHeap = D.jobHeap();

        @Option(names = "--job-compare", description = "Also time the mapped random-access shuffle (slow).")
        boolean jobCompare;

        @Override
        BenchReport measure(PrintStream progress) throws Exception {
            return ListsBenchmark.run(new ListsBenchmark.Options(records, random, dir, !noImport, textLoad, threads,
                    jobSizes, jobHeap, jobCompare), progress);
        }
    }

    @Command(name = "buffer", mixinStandardHelpOptions = true, description = {
            "Replay buffers at the paper's scale on synthetic clustered features: FIFO and MinRed insert+evict rates,"
                    + " MinRed bookkeeping per chunk, incremental MinRed vs the full-matrix method (ratio, identical"
                    + " choices), sampling rate, file size, RSS. Text mode prints the result as indented JSON."},
            footer = {"", ExitCodes.HELP})
    static class Buffer extends Bench {
        private static final BufferBenchmark.Options D = BufferBenchmark.Options.defaults();

        @Option(names = "--capacity", description = "Buffer entries (default ${DEFAULT-VALUE}).")
        int capacity = D.capacity();

        @Option(names = "--dim", description = "Feature dimension (default ${DEFAULT-VALUE}).")
        int dim = D.dim();

        @Option(names = "--chunk", description = "Stream chunk = batch size (default ${DEFAULT-VALUE}).")
        int chunk = D.chunk();

        @Option(names = "--repeats", description = "Statistics updates per chunk, R (default ${DEFAULT-VALUE}).")
        int repeats = D.repeats();

        @Option(names = "--chunks", description = "Measured stream chunks (default ${DEFAULT-VALUE}).")
        int chunks = D.chunks();

        @Option(names = "--full-chunks", description = "Last measured chunks on which the full-matrix method also"
                + " runs (~m^2 d each; default ${DEFAULT-VALUE}).")
        int fullChunks = D.fullChunks();

        @Option(names = "--clusters", description = "Synthetic feature clusters (default ${DEFAULT-VALUE}).")
        int clusters = D.clusters();

        @Option(names = "--dir", description = "Where the buffer files go (default: a temporary directory).")
        Path dir;

        @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed = D.seed();

        @picocli.CommandLine.Mixin
        BufferTrainOptions train = new BufferTrainOptions();

        @Override
        boolean indentedJsonInTextMode() {
            return true;
        }

        @Override
        BenchReport measure(PrintStream progress) throws Exception {
            return BufferBenchmark.run(new BufferBenchmark.Options(capacity, dim, chunk, repeats, chunks, fullChunks,
                    clusters, dir, seed, train.reference()), progress);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = {
            "SimSiam step img/s (conv4 28 px, resnet18 32 px, resnet50 224 px at batch <= 8) vs the PyTorch reference on the same CPU in interleaved"
                    + " rounds; GFLOP/s vs measured matmul and conv peaks; RSS growth; a bitwise determinism check."},
            footer = {"", ExitCodes.HELP})
    static class Train extends Bench {
        private static final TrainBenchmark.Options D = TrainBenchmark.Options.defaults();

        @Option(names = "--models", split = ",", description = "conv4, resnet18, resnet50 (default ${DEFAULT-VALUE}).")
        List<String> models = new ArrayList<>(D.models());

        @Option(names = "--batch", description = "Images per step (default ${DEFAULT-VALUE}).")
        int batch = D.batch();

        @Option(names = "--threads", description = "Intra-op threads of both engines (default ${DEFAULT-VALUE}).")
        int threads = D.threads();

        @Option(names = "--rounds", description = "Interleaved rounds (default ${DEFAULT-VALUE}).")
        int rounds = D.rounds();

        @Option(names = "--warmup", description = "Untimed steps per round (default: conv4 3, resnet18 2, resnet50 1).")
        Integer warmup;

        @Option(names = "--steps", description = "Timed steps per round (default: conv4 15, resnet18 5, resnet50 3).")
        Integer steps;

        @Option(names = "--variants", split = ",", description = "Trainer variants: fastest, plain, fused"
                + " (default ${DEFAULT-VALUE}).")
        List<String> variants = new ArrayList<>(D.variants());

        @Option(names = "--python", description = "Python with torch and torchvision (default ${DEFAULT-VALUE}).")
        String python = D.python();

        @Option(names = "--pytorch-script", description = "The PyTorch reference script (default:"
                + " $CONTSSL_PYTORCH_BENCH, else the bundled simsiam_bench.py).")
        String pytorchScript;

        @Option(names = "--no-pytorch", description = "Skip the PyTorch reference.")
        boolean noPytorch;

        @Option(names = "--rss-model", description = "Model of the RSS-growth part (default ${DEFAULT-VALUE}).")
        String rssModel = D.rssModel();

        @Option(names = "--rss-steps", description = "Steps of the RSS-growth part (default ${DEFAULT-VALUE}).")
        int rssSteps = D.rssSteps();

        @Option(names = "--no-rss", description = "Skip the RSS-growth part.")
        boolean noRss;

        @Option(names = "--peak-size", description = "n of the n x n matmul peak (default ${DEFAULT-VALUE}).")
        int peakSize = D.peakSize();

        @Override
        BenchReport measure(PrintStream progress) throws Exception {
            return TrainBenchmark.run(new TrainBenchmark.Options(models, batch, threads, rounds, warmup, steps,
                    variants, python, pytorchScript, !noPytorch, rssModel, rssSteps, !noRss, peakSize), progress);
        }
    }

    @Command(name = "augment", mixinStandardHelpOptions = true, description = {
            "Data path img/s (read + decode + two SimSiam views) for 28 px grey PNGs and 224 px RGB JPEGs: one"
                    + " thread, the loader pool at 1..N threads, the decoded-image cache; ImageIO's PNG decode as"
                    + " baseline. Text mode prints the result as indented JSON."},
            footer = {"", ExitCodes.HELP})
    static class Augment extends Bench {
        private static final AugmentBenchmark.Options D = AugmentBenchmark.Options.defaults();

        @Option(names = "--seconds", description = "Time per measurement (default ${DEFAULT-VALUE}).")
        double seconds = D.seconds();

        @Option(names = "--small", description = "A smoke run on a handful of files.")
        boolean small;

        @Override
        boolean indentedJsonInTextMode() {
            return true;
        }

        @Override
        BenchReport measure(PrintStream progress) throws Exception {
            return AugmentBenchmark.run(new AugmentBenchmark.Options(seconds, small), progress);
        }
    }

    @Command(name = "loader", mixinStandardHelpOptions = true, description = {
            "The training input pipeline at ImageNet shape: real photos (Debian's visp-images-data, re-encoded once"
                    + " as 256-px JPEGs into a cache), read + decode + two SimSiam views at 224 px, images/s per core"
                    + " against PIL + torchvision on the same files and cores in interleaved rounds."},
            footer = {"", ExitCodes.HELP})
    static class Loader extends Bench {
        private static final LoaderBenchmark.Options D = LoaderBenchmark.Options.defaults();

        @Option(names = "--seconds", description = "Time per contender and round (default ${DEFAULT-VALUE}).")
        double seconds = D.seconds();

        @Option(names = "--rounds", description = "Interleaved rounds (default ${DEFAULT-VALUE}).")
        int rounds = D.rounds();

        @Option(names = "--images", description = "At most this many photos (default ${DEFAULT-VALUE}).")
        int images = D.images();

        @Option(names = "--cache", description = "Where the 256-px JPEGs are kept (default ${DEFAULT-VALUE}).")
        Path cache = D.cacheDir();

        @Option(names = "--photos", description = "More photo directories (JPEG/PNG/PPM/PGM), repeatable.")
        List<Path> photos = new ArrayList<>();

        @Option(names = "--python", description = "Python with PIL, torch, torchvision (default ${DEFAULT-VALUE}).")
        String python = D.python();

        @Option(names = "--no-baseline", description = "Skip PIL + torchvision.")
        boolean noBaseline;

        @Option(names = "--one-core", description = "Only the one-core comparison.")
        boolean oneCore;

        @Override
        BenchReport measure(PrintStream progress) throws Exception {
            return LoaderBenchmark.run(new LoaderBenchmark.Options(seconds, rounds, images, cache, photos,
                    noBaseline ? null : python, !oneCore), progress);
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true, description = {
            "Linear probe and tiled kNN speed on a synthetic 10k x 256-d set (kNN vs a naive baseline), and the"
                    + " raw-pixel floor on real Fashion-MNIST (train slice -> t10k), and the linear probe at ImageNet scale:"
                    + " a scaled case (128k x 2,048 x 1,000) on memory-mapped features, GFLOP/s as a fraction of the"
                    + " engine's matmul peak, peak RSS, and the extrapolated epoch time at 1,281,167 x 2,048 x 1,000."},
            footer = {"", ExitCodes.HELP})
    static class Probe extends Bench {
        private static final ProbeBenchmark.Options D = ProbeBenchmark.Options.defaults();

        @Option(names = "--data", description = "Fashion-MNIST IDX directory (default ${DEFAULT-VALUE}).")
        Path data = D.data();

        @Option(names = "--train-from", description = "First image of the training slice (default ${DEFAULT-VALUE}).")
        int trainFrom = D.trainFrom();

        @Option(names = "--train-count", description = "Training slice size (default ${DEFAULT-VALUE}).")
        int trainCount = D.trainCount();

        @Option(names = "--threads", description = "kNN threads (default ${DEFAULT-VALUE}).")
        int threads = D.threads();

        @Option(names = "--epochs", description = "Linear-probe epochs (default: the probe's settings).")
        Integer epochs;

        @Option(names = "--lr", description = "Linear-probe learning rate (default: the probe's settings).")
        Double lr;

        @Option(names = "--batch", description = "Linear-probe batch size (default: the probe's settings).")
        Integer batch;

        @Option(names = "--seed", description = "Linear-probe seed (default: the probe's settings).")
        Long seed;

        @Option(names = "--skip-real", description = "Skip the Fashion-MNIST raw-pixel floor.")
        boolean skipReal;

        @Option(names = "--skip-synthetic", description = "Skip the synthetic speed part.")
        boolean skipSynthetic;

        @Option(names = "--skip-scale", description = "Skip the ImageNet-scale case (memory-mapped features, GEMM probe).")
        boolean skipScale;

        @Option(names = "--scale-rows", description = "Rows of the scaled case (default ${DEFAULT-VALUE}).")
        int scaleRows = ScaledProbeBenchmark.Scale.defaults().rows();

        @Option(names = "--scale-dim", description = "Feature width of the scaled case (default ${DEFAULT-VALUE}).")
        int scaleDim = ScaledProbeBenchmark.Scale.defaults().dim();

        @Option(names = "--scale-classes", description = "Classes of the scaled case (default ${DEFAULT-VALUE}).")
        int scaleClasses = ScaledProbeBenchmark.Scale.defaults().classes();

        @Option(names = "--scale-batch", description = "Probe batch size of the scaled case (default ${DEFAULT-VALUE}).")
        int scaleBatch = ScaledProbeBenchmark.Scale.defaults().batch();

        @Option(names = "--scale-batches", description = "Batches timed in the scaled case, 0 for one epoch (default ${DEFAULT-VALUE}).")
        long scaleBatches = ScaledProbeBenchmark.Scale.defaults().maxBatches();

        @Option(names = "--scale-dir", description = "Where the scaled case's feature file goes (default: a temporary dir).")
        Path scaleDir;

        @Override
        BenchReport measure(PrintStream progress) throws Exception {
            ProbeSettings s = D.settings();
            if (epochs != null) {
                s = s.withEpochs(epochs);
            }
            if (lr != null) {
                s = s.withLr(lr);
            }
            if (batch != null) {
                s = s.withBatchSize(batch);
            }
            if (seed != null) {
                s = s.withSeed(seed);
            }
            ScaledProbeBenchmark.Scale scale = skipScale ? null : new ScaledProbeBenchmark.Scale(scaleRows, scaleDim,
                    scaleClasses, scaleBatch, scaleBatches, scaleDir);
            return ProbeBenchmark.run(new ProbeBenchmark.Options(data, trainFrom, trainCount, threads, s, !skipReal,
                    !skipSynthetic, scale), progress);
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true, description = {
            "End-to-end pretraining img-steps/s on real Fashion-MNIST (stream, decode, augment, buffer, train,"
                    + " checkpoints) vs the pure step rate of the same model measured right before."},
            footer = {"", ExitCodes.HELP})
    static class Pipeline extends Bench {
        private static final PipelineBenchmark.Options D = PipelineBenchmark.Options.defaults();

        @Option(names = "--stream", description = "Images in the stream (default ${DEFAULT-VALUE}).")
        int stream = D.stream();

        @Option(names = "--workdir", description = "Where the stream and run files go (default: a temporary dir).")
        Path workdir;

        @Option(names = "--jpeg", description = "ImageNet shape: distinct 256-px JPEG crops of real photos"
                + " (visp-images-data), ResNet-18 at 224 px, batch 8, instead of 28-px Fashion-MNIST.")
        boolean jpeg;

        @Parameters(paramLabel = "key=value", arity = "0..*", description = "Configuration overrides.")
        List<String> overrides = new ArrayList<>();

        @Override
        BenchReport measure(PrintStream progress) throws Exception {
            return PipelineBenchmark.run(new PipelineBenchmark.Options(stream, workdir, overrides, jpeg), progress);
        }
    }

    @Command(name = "scaleout", mixinStandardHelpOptions = true, description = {
            "The probe phase of a shrunken demo in-process (H2) and with a throw-away PostgreSQL repository and 0, 1,"
                    + " 2 local worker processes: wall time, speedup vs in-process, the transport's overhead per"
                    + " partition, and whether results are identical. Needs postgresql-15 and Fashion-MNIST."},
            footer = {"", ExitCodes.HELP})
    static class Scaleout extends Bench {
        private static final ScaleoutBenchmark.Options D = ScaleoutBenchmark.Options.defaults();

        @Option(names = "--stream", description = "Images in the shrunken demo's stream (default ${DEFAULT-VALUE}).")
        int stream = D.stream();

        @Option(names = "--workers", split = ",", description = "Worker-process counts (default ${DEFAULT-VALUE}).")
        List<Integer> workers = new ArrayList<>(D.workers());

        @Option(names = "--workdir", description = "Where runs, logs and the database go (default: a temporary dir).")
        Path workdir;

        @Parameters(paramLabel = "key=value", arity = "0..*", description = "Configuration overrides.")
        List<String> overrides = new ArrayList<>();

        @Override
        BenchReport measure(PrintStream progress) throws Exception {
            if (DemoData.ensureAvailable() != ExitCodes.OK) {
                throw new IllegalArgumentException("Fashion-MNIST is needed");
            }
            return ScaleoutBenchmark.run(new ScaleoutBenchmark.Options(stream, workers, workdir, overrides), progress);
        }
    }
}
