package org.contssl.jobs.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks that print ratios against a baseline measured in the same invocation.",
                "  lists     memmap list read rates vs a BufferedReader text list; importer build rates",
                "  buffer    replay buffers at 65,536 x 512: FIFO/MinRed insert+evict, MinRed incremental vs full matrix",
                "  train     SimSiam step img/s (conv4 28 px, resnet18 32 px) vs PyTorch on the same CPU",
                "  augment   decode + SimSiam augmentation throughput",
                "  probe     linear probe / kNN speed and the raw-pixel floor on Fashion-MNIST",
                "  pipeline  end-to-end pretrain img-steps/s on real Fashion-MNIST vs the pure step rate"},
        footer = {"", "Add --json for one JSON object; other options go to the benchmark (see its --help).", "",
                ExitCodes.HELP})
public class BenchCommand implements Callable<Integer> {

    /** Each benchmark lives with the module it measures and has a {@code main(String[])}. */
    static final Map<String, String> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("lists", "org.contssl.lists.bench.ListsBenchmark");
        BENCHMARKS.put("buffer", "org.contssl.storage.bench.BufferBenchmark");
        BENCHMARKS.put("train", "org.contssl.model.bench.TrainBenchmark");
        BENCHMARKS.put("augment", "org.contssl.model.data.bench.AugmentBenchmark");
        BENCHMARKS.put("probe", "org.contssl.model.probe.bench.ProbeBenchmark");
        BENCHMARKS.put("pipeline", "org.contssl.steps.bench.PipelineBenchmark");
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "One of: ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    String name;

    @Unmatched
    List<String> rest = new ArrayList<>();

    static class Names extends ArrayList<String> {
        Names() {
            super(BENCHMARKS.keySet());
        }
    }

    @Override
    public Integer call() throws Exception {
        String className = BENCHMARKS.get(name);
        if (className == null) {
            System.err.println("error: unknown benchmark '" + name + "': use one of " + BENCHMARKS.keySet());
            return ExitCodes.USAGE;
        }
        try {
            Class.forName(className).getMethod("main", String[].class).invoke(null, (Object) rest.toArray(String[]::new));
        } catch (ClassNotFoundException e) {
            System.err.println("error: benchmark '" + name + "' is not part of this build");
            return ExitCodes.USAGE;
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
        return ExitCodes.OK;
    }
}
