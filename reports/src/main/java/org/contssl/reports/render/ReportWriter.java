package org.contssl.reports.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.core.AtomicFiles;
import org.contssl.reports.charts.ChartImage;
import org.contssl.reports.charts.ChartRenderer;
import org.contssl.reports.results.ResultsJson;
import org.contssl.reports.results.RunResults;
import org.contssl.reports.results.TimeSeriesFiles;
import org.contssl.reports.series.BufferComposition;
import org.contssl.reports.series.MetricsCsv;
import org.contssl.reports.series.MetricsRow;

/**
 * Writes one run's report into {@code <workdir>/reports/}: report.html (self-contained), report.md, results.json,
 * results.csv, forgetting.csv (domains streams) and the PNG charts. Every file is written through {@link AtomicFiles}
 * (synced temp file, rename), so a crash leaves either the old or the new file. Missing time series do not fail the report; the report
 * says what is missing instead.
 */
public final class ReportWriter {
    public static final String REPORTS_DIR = "reports";

    private final ReportOptions options;
    private final ChartRenderer charts = new ChartRenderer();

    public ReportWriter() {
        this(ReportOptions.defaults());
    }

    public ReportWriter(ReportOptions options) {
        this.options = options;
    }

    /** Renders {@code results} into {@code workdir/reports}; relative time-series paths resolve against {@code workdir}. */
    public ReportFiles write(RunResults results, Path workdir) {
        Path dir = workdir.resolve(REPORTS_DIR);
        List<String> seriesNotes = new ArrayList<>();
        List<MetricsRow> metrics = List.of();
        BufferComposition comp = null;
        TimeSeriesFiles ts = results.timeSeries();
        if (ts == null || ts.metricsCsv() == null) {
            seriesNotes.add("No metrics.csv was recorded for this run: no loss, LR, collapse or throughput curves.");
        } else {
            Path p = workdir.resolve(ts.metricsCsv());
            if (Files.isRegularFile(p)) {
                metrics = MetricsCsv.read(p);
            } else {
                seriesNotes.add("metrics.csv not found at `" + p + "`: no loss, LR, collapse or throughput curves.");
            }
        }
        if (ts != null && ts.bufferCompositionCsv() != null) {
            Path p = workdir.resolve(ts.bufferCompositionCsv());
            if (Files.isRegularFile(p)) {
                comp = BufferComposition.read(p);
            } else {
                seriesNotes.add("Buffer-composition CSV not found at `" + p + "`: no composition chart.");
            }
        }

        Map<String, ChartImage> images = new LinkedHashMap<>();
        for (String d : results.datasets()) put(images, charts.accuracyVsProgress(results, d));
        if (results.domainMatrix() != null) put(images, charts.forgettingHeatmap(results.domainMatrix()));
        if (!metrics.isEmpty()) {
            put(images, charts.loss(metrics));
            put(images, charts.learningRate(metrics));
            put(images, charts.collapse(metrics, results.collapse()));
            put(images, charts.bufferStats(metrics));
            put(images, charts.throughput(metrics));
        }
        if (comp != null) put(images, charts.bufferComposition(comp, ts.compositionBy()));

        Doc doc = new ReportBuilder(options).build(results, images, metrics, seriesNotes);
        try {
            Files.createDirectories(dir);
            List<Path> pngs = new ArrayList<>();
            for (ChartImage c : images.values()) {
                pngs.add(atomic(dir.resolve(c.fileName()), c.png()));
            }
            Path md = atomic(dir.resolve("report.md"), new MarkdownRenderer().render(doc).getBytes(StandardCharsets.UTF_8));
            Path html = atomic(dir.resolve("report.html"), new HtmlRenderer().render(doc).getBytes(StandardCharsets.UTF_8));
            Path json = dir.resolve(ResultsJson.FILE_NAME);
            ResultsJson.write(results, json);
            Path csv = atomic(dir.resolve("results.csv"), CsvTables.results(results).getBytes(StandardCharsets.UTF_8));
            Path fcsv = results.domainMatrix() == null ? null
                    : atomic(dir.resolve("forgetting.csv"), CsvTables.forgetting(results).getBytes(StandardCharsets.UTF_8));
            return new ReportFiles(dir, html, md, json, csv, fcsv, pngs);
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot write into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Re-renders a run from its stored {@code <workdir>/reports/results.json} (for {@code ./run.sh report}). */
    public ReportFiles regenerate(Path workdir) {
        return write(ResultsJson.read(workdir.resolve(REPORTS_DIR).resolve(ResultsJson.FILE_NAME)), workdir);
    }

    private static void put(Map<String, ChartImage> m, ChartImage c) {
        if (c != null) m.put(c.fileName(), c);
    }

    /** Synced and renamed into place: the report step is recorded complete only after its files are durable. */
    static Path atomic(Path target, byte[] bytes) {
        AtomicFiles.write(target, bytes);
        return target;
    }
}
