package org.contssl.jobs.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.contssl.core.AtomicFiles;
import org.contssl.reports.compare.CompareReport;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.ResultsJson;
import org.contssl.reports.results.RunResults;

/**
 * The end of a sweep: {@code report --compare} over every completed cell ({@code compare/compare.md|html}), and
 * {@code compare/sweep.md|json}: cells that differ only by {@code environment.seed} grouped, final linear top-1 per
 * downstream dataset as mean ± sd over the seeds (sample sd; "–" for a single seed).
 */
public record SweepSummary(int completed, Path markdown) {

    /** One group's statistic on one dataset. */
    public record Stat(String group, String dataset, int n, double mean, Double sd) {
    }

    public static SweepSummary write(Path root, SweepGrid grid) throws java.io.IOException {
        Path out = root.resolve("compare");
        Files.createDirectories(out);
        List<RunResults> runs = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        Map<String, Map<String, List<Double>>> byGroup = new LinkedHashMap<>();
        TreeSet<String> datasets = new TreeSet<>();
        for (SweepGrid.Cell cell : grid.cells()) {
            Path results = cell.workdir(root).resolve("reports").resolve(ResultsJson.FILE_NAME);
            if (!Files.isRegularFile(results)) {
                continue;
            }
            RunResults r = ResultsJson.read(results);
            runs.add(r);
            sources.add(root.relativize(results).toString());
            for (String d : r.datasets()) {
                r.finalTrained(d, ProbeMethod.LINEAR).ifPresent(p -> {
                    datasets.add(d);
                    byGroup.computeIfAbsent(cell.group(), g -> new LinkedHashMap<>())
                            .computeIfAbsent(d, k -> new ArrayList<>()).add(p.top1());
                });
            }
        }
        if (!runs.isEmpty()) {
            CompareReport.of(runs, sources).write(out);
        }
        List<Stat> stats = new ArrayList<>();
        byGroup.forEach((group, perDataset) -> perDataset.forEach((d, v) -> stats.add(stat(group, d, v))));
        StringBuilder md = new StringBuilder("# Sweep summary\n\nFinal linear top-1 (%) per group of cells that"
                + " differ only by seed: mean ± sd (n seeds). Per-cell tables: compare.md.\n\n| group |");
        datasets.forEach(d -> md.append(' ').append(d).append(" |"));
        md.append("\n|---|").append("---|".repeat(datasets.size())).append('\n');
        for (String group : byGroup.keySet()) {
            md.append("| ").append(group).append(" |");
            for (String d : datasets) {
                md.append(' ').append(stats.stream().filter(s -> s.group().equals(group) && s.dataset().equals(d))
                        .findFirst().map(SweepSummary::format).orElse("–")).append(" |");
            }
            md.append('\n');
        }
        md.append("\n").append(runs.size()).append(" of ").append(grid.cells().size()).append(" cells completed.\n");
        Path markdown = out.resolve("sweep.md");
        AtomicFiles.write(markdown, md.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("sweep.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(Map.of("cells", grid.cells().size(), "completed", runs.size(), "groups", stats)));
        return new SweepSummary(runs.size(), markdown);
    }

    static Stat stat(String group, String dataset, List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        Double sd = null;
        if (values.size() > 1) {
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            sd = Math.sqrt(ss / (values.size() - 1));
        }
        return new Stat(group, dataset, values.size(), mean, sd);
    }

    static String format(Stat s) {
        return s.sd() == null ? String.format(Locale.ROOT, "%.2f (n=1)", s.mean())
                : String.format(Locale.ROOT, "%.2f ± %.2f (n=%d)", s.mean(), s.sd(), s.n());
    }
}
