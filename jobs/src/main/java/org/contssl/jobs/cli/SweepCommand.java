package org.contssl.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.contssl.jobs.sweep.SweepGrid;
import org.contssl.jobs.sweep.SweepLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid of experiments: key=v1,v2 key2=a,b … expands into one cell per combination,"
                + " each its own workdir (ROOT/cells/NAME) and pipeline. Cells run on the workers of --db when"
                + " any are running, here otherwise; COMPLETED cells are skipped. Ends with report --compare over"
                + " all cells and mean ± sd over seeds (ROOT/compare/).",
                "`sweep --root ROOT` without axes resumes the sweep's unfinished cells."},
        footer = {"", "Example: sweep --db jdbc:postgresql://db/contssl --root R model.buffer_type=fifo,minred"
                + " environment.seed=0,1", "", ExitCodes.HELP})
public class SweepCommand implements Callable<Integer> {

    @Option(names = "--root", required = true, description = "Sweep directory (created if missing).")
    String root;

    @Option(names = "--preset", description = "Preset of every cell (default: demo).")
    String preset;

    @Option(names = "--set", paramLabel = "key=value", description = "Override common to every cell (not expanded;"
            + " use it for values that contain commas, e.g. --set eval.progress=0.5,1.0).")
    List<String> fixed = new ArrayList<>();

    @Parameters(paramLabel = "key=v1,v2", arity = "0..*", description = "Swept keys and their values.")
    List<String> axes = new ArrayList<>();

    @Override
    public Integer call() {
        if (axes.isEmpty()) {
            return Console.report(SweepLauncher.resume(Path.of(root)));
        }
        SweepGrid grid;
        try {
            grid = SweepGrid.parse(preset, fixed, axes);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        return Console.report(SweepLauncher.run(Path.of(root), grid));
    }
}
