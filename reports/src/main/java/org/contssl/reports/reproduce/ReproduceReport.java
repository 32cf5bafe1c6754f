package org.contssl.reports.reproduce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.contssl.core.AtomicFiles;
import org.contssl.reports.results.DomainMatrix;
import org.contssl.reports.stats.Verdict;
import org.contssl.reports.stats.Welch;

/**
 * The {@code reproduce} report ({@code reproduce.md}, {@code reproduce.json}, {@code reproduce.html}): per finding,
 * a verdict computed from the numbers ({@link Verdict}: Welch's t-test over seeds) with the budget and the floors
 * beside it, then the paper-shaped table — mean ± sd over seeds of linear and kNN top-1 on each probe set, the two
 * floors, the buffer's mechanism metrics and MinRed's health — and for the domains finding the forgetting matrix.
 * docs/reproducing.md explains how to read it.
 */
public final class ReproduceReport {

    /** MinRed evicting at least this share oldest-first kept what FIFO keeps: the report says so. */
    public static final double FIFO_LIKE_SHARE = 0.95;

    /** What a finding compares (from the reproduce spec). */
    public record Finding(String id, String title, String paper, String measure, String better, String worse,
                          String match, List<String> settings) {
        boolean lowerIsBetter() {
            return "forgetting".equals(measure);
        }

        String unit() {
            return lowerIsBetter() ? "points of forgetting" : "points of linear top-1";
        }
    }

    /** The budget the cells ran with. */
    public record Budget(String name, String description, int seeds, boolean mechanismsOnly) {
    }

    private ReproduceReport() {
    }

    /** Writes the report into {@code out}; returns the Markdown file. */
    public static Path write(Path out, Budget budget, List<Finding> findings, List<CellMeasures> cells,
                             int cellsTotal) throws IOException {
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder();
        Map<String, Object> json = new LinkedHashMap<>();
        md.append("# Reproducing the paper's three findings — budget `").append(budget.name()).append("`\n\n");
        md.append(budget.description()).append("\n\n");
        if (budget.mechanismsOnly()) {
            md.append("**This budget shows the mechanisms only** (what each buffer keeps, MinRed's health): it trains"
                    + " too little for accuracy differences to be resolved, so its verdicts are expected to be *not"
                    + " resolved*; `--budget full` is the setting that resolved findings 1 and 2 on two cores"
                    + " (docs/reproducing.md, experiment log).\n\n");
        }
        md.append(String.format(Locale.ROOT, "%d of %d cells completed; seeds per setting: %d. Statistics: Welch's"
                + " unequal-variance t-test, two-sided, α = %.2f, with the 95 %% interval of the difference; a"
                + " verdict needs at least 2 seeds per setting.\n\n", cells.size(), cellsTotal, budget.seeds(),
                Verdict.ALPHA));
        json.put("budget", budget);
        json.put("cells_completed", cells.size());
        json.put("cells_total", cellsTotal);
        List<Map<String, Object>> verdictsJson = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        md.append("## Verdicts\n\n");
        for (Finding f : findings) {
            List<CellMeasures> mine = cells.stream().filter(c -> c.finding().equals(f.id())).toList();
            Verdict v = verdict(f, mine);
            Floors floors = Floors.of(mine);
            String line = String.format(Locale.ROOT, "- **%s** — %s: %s − %s, %s. Budget `%s`; floors (in-distribution"
                    + " linear): random-init %s, raw pixels %s.", v.outcome().text(), f.title(), f.better(),
                    f.worse(), v.reason(), budget.name(), fmt(floors.random()), fmt(floors.raw()));
            md.append(line);
            if (f.match() != null && f.settings().contains(f.match())) {
                Welch m = Welch.test(values(mine, f.better(), f.measure()), values(mine, f.match(), f.measure()));
                md.append(m.n1() == 0 || m.n2() == 0 ? String.format(Locale.ROOT, " Beside it: %s − %s: no data yet.",
                        f.better(), f.match()) : String.format(Locale.ROOT, " Beside it: %s − %s = %+.2f", f.better(),
                        f.match(), m.diff()));
                md.append(m.n1() == 0 || m.n2() == 0 ? "" : m.defined() ? String.format(Locale.ROOT, " [%+.2f, %+.2f] (p = %.3f).", m.ciLow(),
                        m.ciHigh(), m.p()) : " (no interval: fewer than 2 seeds or no spread).");
            }
            md.append('\n');
            Map<String, Object> vj = new LinkedHashMap<>();
            vj.put("finding", f.id());
            vj.put("title", f.title());
            vj.put("verdict", v.outcome().text());
            vj.put("better", f.better());
            vj.put("worse", f.worse());
            vj.put("measure", f.measure());
            vj.put("gain", finite(v.gain()));
            vj.put("welch", testJson(v.test()));
            vj.put("reason", v.reason());
            vj.put("floor_random_init", finite(floors.random()));
            vj.put("floor_raw_pixels", finite(floors.raw()));
            verdictsJson.add(vj);
            body.append(section(f, mine));
        }
        json.put("verdicts", verdictsJson);
        json.put("cells", cells.stream().map(ReproduceReport::cellJson).toList());
        md.append("\n").append(body);
        Path file = out.resolve("reproduce.md");
        AtomicFiles.write(file, md.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("reproduce.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(json));
        AtomicFiles.write(out.resolve("reproduce.html"), html(md.toString()).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    static Verdict verdict(Finding f, List<CellMeasures> mine) {
        return Verdict.of(Welch.test(values(mine, f.better(), f.measure()), values(mine, f.worse(), f.measure())),
                f.lowerIsBetter(), f.unit());
    }

    private static List<Double> values(List<CellMeasures> cells, String setting, String measure) {
        return cells.stream().filter(c -> c.setting().equals(setting)).map(c -> c.measure(measure))
                .filter(Objects::nonNull).filter(d -> !d.isNaN()).toList();
    }

    /** Mean over the finding's cells of the in-distribution floors. */
    private record Floors(double random, double raw) {
        static Floors of(List<CellMeasures> cells) {
            return new Floors(mean(cells, c -> c.floorRandom().get(c.inDistribution())),
                    mean(cells, c -> c.floorRaw().get(c.inDistribution())));
        }
    }

    private static String section(Finding f, List<CellMeasures> mine) {
        StringBuilder s = new StringBuilder("## ").append(f.title()).append("\n\nPaper: ").append(f.paper())
                .append("\n\n");
        LinkedHashSet<String> datasets = new LinkedHashSet<>();
        if (!f.lowerIsBetter()) {
            mine.forEach(c -> datasets.addAll(c.linear().keySet()));
        }
        s.append("| setting | seeds |");
        datasets.forEach(d -> s.append(' ').append(d).append(" linear | ").append(d).append(" kNN |"));
        String groups = mine.stream().map(CellMeasures::groupsBy).filter(Objects::nonNull).findFirst()
                .orElse("group");
        s.append(" distinct clips at 25/50/75/100 % of the inserts | distinct ")
                .append(groups.equals("class") ? "classes" : groups + "s")
                .append(" at the end | mean NN similarity | oldest-first evictions |");
        if (f.lowerIsBetter()) {
            s.append(" final forgetting abs (points) | rel (%) | final accuracy, mean over domains |");
        }
        s.append("\n|---|---|").append("---|---|".repeat(datasets.size())).append("---|---|---|---|")
                .append(f.lowerIsBetter() ? "---|---|---|" : "").append('\n');
        List<String> notes = new ArrayList<>();
        for (String setting : f.settings()) {
            List<CellMeasures> cs = mine.stream().filter(c -> c.setting().equals(setting)).toList();
            s.append("| ").append(setting).append(" | ").append(cs.size()).append(" |");
            for (String d : datasets) {
                s.append(' ').append(meanSd(cs, c -> c.linear().get(d))).append(" | ")
                        .append(meanSd(cs, c -> c.knn().get(d))).append(" |");
            }
            s.append(' ').append(clips(cs)).append(" | ").append(meanSd(cs, c -> c.groupsEnd() == null ? null
                    : c.groupsEnd().doubleValue())).append(" | ").append(meanSd(cs, CellMeasures::meanNnSim, "%.3f"))
                    .append(" | ").append(health(cs, setting, notes)).append(" |");
            if (f.lowerIsBetter()) {
                s.append(' ').append(meanSd(cs, CellMeasures::forgettingAbs)).append(" | ")
                        .append(meanSd(cs, CellMeasures::forgettingRel)).append(" | ")
                        .append(meanSd(cs, c -> c.matrix() == null ? null
                                : org.contssl.reports.forgetting.Forgetting.finalAverageAccuracy(c.matrix())))
                        .append(" |");
            }
            s.append('\n');
        }
        for (String floor : List.of("random-init floor", "raw-pixel floor")) {
            s.append("| ").append(floor).append(" | ").append(mine.size()).append(" |");
            for (String d : datasets) {
                s.append(' ').append(meanSd(mine, c -> (floor.startsWith("random") ? c.floorRandom()
                        : c.floorRaw()).get(d))).append(" | – |");
            }
            s.append(" | | | |").append(f.lowerIsBetter() ? " | | |" : "").append('\n');
        }
        s.append("\nValues are mean ± sd over seeds (final checkpoint); \"–\" = not measured for that setting (mean"
                + " NN similarity is tracked by MinRed only; a no-buffer setting holds no clips).\n");
        notes.forEach(n -> s.append("\n").append(n).append('\n'));
        if (f.lowerIsBetter()) {
            s.append(matrices(f, mine));
        }
        return s.append('\n').toString();
    }

    /** Distinct clips at the four quarter points, mean over seeds. */
    private static String clips(List<CellMeasures> cs) {
        List<CellMeasures> with = cs.stream().filter(c -> c.clipsOverTime() != null).toList();
        if (with.isEmpty()) {
            return "–";
        }
        List<String> q = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final int k = i;
            q.add(String.format(Locale.ROOT, "%.0f", with.stream().mapToLong(c -> c.clipsOverTime()[k]).average()
                    .orElse(Double.NaN)));
        }
        return String.join(" / ", q);
    }

    /** The oldest-first share, and a note when MinRed behaved as FIFO. */
    private static String health(List<CellMeasures> cs, String setting, List<String> notes) {
        long ev = cs.stream().mapToLong(CellMeasures::evicted).sum();
        if (ev == 0) {
            return "–";
        }
        long old = cs.stream().mapToLong(CellMeasures::oldestFirst).sum();
        for (CellMeasures c : cs) {
            if (c.evicted() > 0 && c.oldestFirstShare() >= FIFO_LIKE_SHARE && c.setting().contains("minred")) {
                notes.add(String.format(Locale.ROOT, "**MinRed behaved as FIFO** in %s seed %d: %.0f %% of its %d"
                        + " evictions fell back to oldest-first because fewer than 2n buffer entries had been"
                        + " trained (n = evictions per insert); comparing it with FIFO compares two identical"
                        + " policies. Use a buffer several times the batch.", setting, c.seed(),
                        100 * c.oldestFirstShare(), c.evicted()));
            }
        }
        return String.format(Locale.ROOT, "%.1f %% of %,d", 100.0 * old / ev, ev);
    }

    /** Mean accuracy matrix per setting (over seeds) with the definition of forgetting. */
    private static String matrices(Finding f, List<CellMeasures> mine) {
        StringBuilder s = new StringBuilder("\nForgetting matrices (mean over seeds). ")
                .append(org.contssl.reports.forgetting.Forgetting.DEFINITION).append('\n');
        for (String setting : f.settings()) {
            List<DomainMatrix> ms = mine.stream().filter(c -> c.setting().equals(setting))
                    .map(CellMeasures::matrix).filter(Objects::nonNull).toList();
            if (ms.isEmpty()) {
                continue;
            }
            int n = ms.get(0).size();
            s.append("\n**").append(setting).append("** (").append(ms.size()).append(" seeds)\n\n| after \\ on |");
            for (int j = 0; j < n; j++) {
                s.append(' ').append(ms.get(0).label(j)).append(" |");
            }
            s.append("\n|---|").append("---|".repeat(n)).append('\n');
            for (int i = 0; i < n; i++) {
                s.append("| ").append(ms.get(0).label(i)).append(" |");
                for (int j = 0; j < n; j++) {
                    final int a = i;
                    final int b = j;
                    s.append(String.format(Locale.ROOT, " %.2f |", ms.stream().filter(m -> m.size() == n)
                            .mapToDouble(m -> m.at(a, b)).average().orElse(Double.NaN)));
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    private static Map<String, Object> cellJson(CellMeasures c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("finding", c.finding());
        m.put("setting", c.setting());
        m.put("seed", c.seed());
        m.put("linear_top1", c.linear());
        m.put("knn_top1", c.knn());
        m.put("floor_random_init_linear", c.floorRandom());
        m.put("floor_raw_pixels_linear", c.floorRaw());
        m.put("distinct_clips_at_quarters", c.clipsOverTime());
        m.put("distinct_groups_end", c.groupsEnd());
        m.put("groups_by", c.groupsBy());
        m.put("mean_neighbour_similarity", c.meanNnSim());
        m.put("evictions", c.evicted());
        m.put("oldest_first_evictions", c.oldestFirst());
        m.put("forgetting_final_abs", c.forgettingAbs());
        m.put("forgetting_final_rel", c.forgettingRel());
        m.put("domain_matrix", c.matrix() == null ? null : c.matrix().accuracy());
        return m;
    }

    private static Map<String, Object> testJson(Welch w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test", "Welch two-sided t-test of better - worse");
        m.put("n_better", w.n1());
        m.put("n_worse", w.n2());
        m.put("mean_better", finite(w.mean1()));
        m.put("mean_worse", finite(w.mean2()));
        m.put("sd_better", finite(w.sd1()));
        m.put("sd_worse", finite(w.sd2()));
        m.put("difference", finite(w.diff()));
        m.put("df", finite(w.df()));
        m.put("t", finite(w.t()));
        m.put("p", finite(w.p()));
        m.put("ci95", Double.isNaN(w.ciLow()) ? null : List.of(w.ciLow(), w.ciHigh()));
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double mean(List<CellMeasures> cs, Function<CellMeasures, Double> f) {
        return cs.stream().map(f).filter(Objects::nonNull).mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN);
    }

    private static String meanSd(List<CellMeasures> cs, Function<CellMeasures, Double> f) {
        return meanSd(cs, f, "%.2f");
    }

    private static String meanSd(List<CellMeasures> cs, Function<CellMeasures, Double> f, String format) {
        List<Double> v = cs.stream().map(f).filter(Objects::nonNull).filter(d -> !d.isNaN()).toList();
        if (v.isEmpty()) {
            return "–";
        }
        double m = Welch.mean(v);
        String mean = String.format(Locale.ROOT, format, m);
        return v.size() < 2 ? mean : mean + " ± " + String.format(Locale.ROOT, format, Welch.sd(v, m));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The Markdown in a self-contained page (no renderer dependency: a pre block keeps the tables aligned). */
    private static String html(String md) {
        String escaped = md.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>contssl reproduce</title></head><body>"
                + "<pre style=\"white-space:pre-wrap;font:13px monospace\">" + escaped + "</pre></body></html>\n";
    }
}
