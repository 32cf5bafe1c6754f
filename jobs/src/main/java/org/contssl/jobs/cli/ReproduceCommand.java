package org.contssl.jobs.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.contssl.jobs.reproduce.ReproduceSpec;
import org.contssl.jobs.reproduce.Reproduction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"The paper's three findings from one sweep: (1) i.i.d. stream, no buffer vs buffer with R"
                + " updates vs R epochs; (2) pseudo-video stream, FIFO vs MinRed vs decorrelated; (3) class-incremental"
                + " domains, FIFO vs MinRed forgetting. Cells run (or resume) under ROOT/cells, COMPLETED ones are"
                + " skipped; then ROOT/reproduce/reproduce.md|json|html holds the paper-shaped tables and a verdict per"
                + " finding (Welch t-test over seeds). Grids and budgets: reproduce/reproduce.yaml in the jar;"
                + " docs/reproducing.md."},
        footer = {"", "Example: reproduce --budget quick --seeds 2", "", ExitCodes.HELP})
public class ReproduceCommand implements Callable<Integer> {

    @Option(names = "--budget", defaultValue = "quick", description = "quick (mechanisms only; 16 cells with 2 seeds,"
            + " 16 min measured on 2 cores), full (the regime search's pick for findings 1 and 2; 18 cells with 3"
            + " seeds) or full-references (full plus 20 epochs and the decorrelated stream); `plan --reproduce"
            + " BUDGET` states the time.")
    String budget;

    @Option(names = "--seeds", description = "Seeds per setting: environment.seed = 0..N-1 (default: the budget's).")
    Integer seeds;

    @Option(names = "--root", description = "Sweep directory (default: work/reproduce-BUDGET).")
    String root;

    @Option(names = "--spec", paramLabel = "FILE", description = "A grid file of the shape of the bundled"
            + " reproduce.yaml instead of it.")
    String specFile;

    @Option(names = "--set", paramLabel = "key=value", description = "Override added to every cell.")
    List<String> extra = new ArrayList<>();

    @Option(names = "--report-only", description = "Write the report from the cells completed so far; run nothing.")
    boolean reportOnly;

    @Override
    public Integer call() throws Exception {
        ReproduceSpec spec;
        try {
            spec = ReproduceSpec.load(specFile == null ? null : Path.of(specFile), budget);
        } catch (ReproduceSpec.BadSpec e) {
            System.err.println("error: " + e.getMessage());
            return specFile == null ? ExitCodes.USAGE : ExitCodes.BAD_INPUT;
        }
        int n = seeds == null ? spec.budget().seeds() : seeds;
        if (n < 1) {
            System.err.println("error: --seeds must be at least 1 (2 or more for a verdict), got " + n);
            return ExitCodes.USAGE;
        }
        Path dir = Path.of(root == null ? "work/reproduce-" + budget : root);
        if (reportOnly) {
            Path report = Reproduction.writeReport(dir, spec, spec.grid(n, extra), n);
            System.out.println("report: " + report);
            printVerdicts(report);
            return ExitCodes.OK;
        }
        if (usesDemoData(spec)) {
            int data = DemoData.ensureAvailable();
            if (data != ExitCodes.OK) {
                return data;
            }
        }
        // a bad key in a cell's overrides is a ConfigException: exit 2 via the ErrorHandler, before any cell runs
        Reproduction.Result result = Reproduction.run(dir, spec, n, extra);
        int code = Console.report(result.sweep());
        System.out.println("report: " + result.report());
        printVerdicts(result.report());
        return code;
    }

    private static void printVerdicts(Path report) throws java.io.IOException {
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            if (line.startsWith("- **")) {
                System.out.println(line);
            }
        }
    }

    /** The bundled budgets read Fashion-MNIST (the default source); a grid that names its own source does not. */
    private boolean usesDemoData(ReproduceSpec spec) {
        List<String> all = new ArrayList<>(spec.budget().common());
        all.addAll(extra);
        spec.findings().forEach(f -> f.settings().values().forEach(all::addAll));
        return all.stream().noneMatch(o -> o.startsWith("data.source="));
    }
}
