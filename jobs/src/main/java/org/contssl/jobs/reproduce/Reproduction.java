package org.contssl.jobs.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.contssl.jobs.launch.Outcome;
import org.contssl.jobs.sweep.SweepGrid;
import org.contssl.jobs.sweep.SweepLauncher;
import org.contssl.reports.reproduce.CellMeasures;
import org.contssl.reports.reproduce.ReproduceReport;
import org.contssl.reports.results.ResultsJson;
import org.contssl.reports.results.RunResults;
import org.contssl.reports.series.BufferComposition;
import org.contssl.reports.series.BufferMechanismCsv;
import org.contssl.reports.series.MetricsCsv;
import org.contssl.reports.series.MetricsRow;
import org.contssl.steps.workdir.Workdir;

/**
 * {@code reproduce}: the findings' grid of a budget as one sweep under {@code ROOT} (cells in {@code ROOT/cells},
 * restartable, COMPLETED cells skipped, on the workers of {@code --db} when any run), then the findings report in
 * {@code ROOT/reproduce/} from whatever cells have completed — also after a failure, so a partial sweep still shows
 * what it has.
 */
public final class Reproduction {

    /** The sweep's outcome and the report written after it. */
    public record Result(Outcome sweep, Path report) {
    }

    private Reproduction() {
    }

    public static Result run(Path root, ReproduceSpec spec, int seeds, List<String> extra) throws IOException {
        SweepGrid grid = spec.grid(seeds, extra);
        Outcome outcome = SweepLauncher.run(root, grid);
        return new Result(outcome, writeReport(root, spec, grid, seeds));
    }

    /** Reads every completed cell of the grid and writes {@code ROOT/reproduce/reproduce.md|json|html}. */
    public static Path writeReport(Path root, ReproduceSpec spec, SweepGrid grid, int seeds) throws IOException {
        List<CellMeasures> cells = new ArrayList<>();
        for (SweepGrid.Cell cell : grid.cells()) {
            Workdir w = new Workdir(cell.workdir(root));
            Path results = w.root().resolve("reports").resolve(ResultsJson.FILE_NAME);
            if (!Files.isRegularFile(results)) {
                continue;
            }
            String block = cell.values().get(SweepGrid.SETTING);
            int dot = block.indexOf('.');
            RunResults r = ResultsJson.read(results);
            List<BufferMechanismCsv.Row> mechanism = Files.isRegularFile(w.bufferMechanismCsv())
                    ? BufferMechanismCsv.read(w.bufferMechanismCsv()) : null;
            List<MetricsRow> metrics = Files.isRegularFile(w.metricsCsv()) ? MetricsCsv.read(w.metricsCsv()) : null;
            BufferComposition composition = Files.isRegularFile(w.bufferCompositionCsv())
                    ? BufferComposition.read(w.bufferCompositionCsv()) : null;
            cells.add(CellMeasures.of(block.substring(0, dot), block.substring(dot + 1),
                    Long.parseLong(cell.values().get(SweepGrid.SEED)), r, mechanism, metrics, composition));
        }
        List<ReproduceReport.Finding> findings = spec.findings().stream().map(f -> new ReproduceReport.Finding(
                f.id(), f.title(), f.paper(), f.measure(), f.better(), f.worse(), f.match(),
                List.copyOf(f.settings().keySet()))).toList();
        ReproduceSpec.Budget b = spec.budget();
        return ReproduceReport.write(root.resolve("reproduce"), new ReproduceReport.Budget(b.name(),
                b.description(), seeds, b.mechanismsOnly()), findings, cells, grid.cells().size());
    }
}
