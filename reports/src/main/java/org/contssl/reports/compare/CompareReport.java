package org.contssl.reports.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.contssl.core.AtomicFiles;
import org.contssl.reports.forgetting.Forgetting;
import org.contssl.reports.forgetting.ForgettingEntry;
import org.contssl.reports.render.Doc;
import org.contssl.reports.render.Fmt;
import org.contssl.reports.render.HtmlRenderer;
import org.contssl.reports.render.MarkdownRenderer;
import org.contssl.reports.render.ReportBuilder;
import org.contssl.reports.results.DatasetRole;
import org.contssl.reports.results.DomainMatrix;
import org.contssl.reports.results.EncoderKind;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.ProbeRecord;
import org.contssl.reports.results.ResultsJson;
import org.contssl.reports.results.RunResults;

/**
 * {@code report --compare DIR...}: several runs side by side in the reference README's table shapes, from each run's
 * results.json. Table 1 (Sections 4/5 shape): method, single pass, buffer, size, final linear top-1 per downstream
 * dataset, plus the two floors as rows. Table 2 (Section 6 shape, runs with a domain matrix): accuracy at 25-50-75-100 %
 * of the stream and forgetting per domain (relative %, then absolute points).
 */
public final class CompareReport {
    private final List<RunResults> runs;
    private final List<String> names;
    private final List<String> sources;

    private CompareReport(List<RunResults> runs, List<String> names, List<String> sources) {
        this.runs = runs;
        this.names = names;
        this.sources = sources;
    }

    /**
     * Loads each input, which may be a workdir (with reports/results.json), a reports folder, or a results.json file.
     */
    public static CompareReport load(List<Path> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("report --compare: give at least one run directory");
        }
        List<RunResults> runs = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path in : inputs) {
            Path f = locate(in);
            runs.add(ResultsJson.read(f));
            sources.add(f.toString());
        }
        return of(runs, sources);
    }

    /** From already-loaded results; {@code sources} label where each came from. */
    public static CompareReport of(List<RunResults> runs, List<String> sources) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            String n = runs.get(i).runName() == null || runs.get(i).runName().isBlank() ? "run" + (i + 1) : runs.get(i).runName();
            // two runs with one name (e.g. both "demo") must stay distinguishable in the table
            String unique = n;
            for (int k = 2; !seen.add(unique); k++) unique = n + " #" + k;
            names.add(unique);
        }
        return new CompareReport(List.copyOf(runs), names, List.copyOf(sources));
    }

    static Path locate(Path in) {
        if (Files.isRegularFile(in)) return in;
        Path direct = in.resolve(ResultsJson.FILE_NAME);
        if (Files.isRegularFile(direct)) return direct;
        Path nested = in.resolve("reports").resolve(ResultsJson.FILE_NAME);
        if (Files.isRegularFile(nested)) return nested;
        throw new IllegalArgumentException("report --compare: no results.json in " + in + " (looked for " + nested + "); run the pipeline or './run.sh report --workdir " + in + "' first");
    }

    public Doc document() {
        Doc doc = new Doc("contssl run comparison");
        doc.subtitle.add(runs.size() + " runs · final-checkpoint top-1 % with the same probe per dataset · floors measured with that probe");
        List<String> datasets = datasets();
        Doc.Section s = doc.section("Downstream probes (reference Sections 4/5 table shape)");
        List<String> header = new ArrayList<>(List.of("run", "method", "single pass", "buffer", "size"));
        for (String d : datasets) header.add(d + " (" + roleShort(d) + ") linear");
        boolean anyKnn = runs.stream().anyMatch(r -> r.probes().stream().anyMatch(p -> p.method() == ProbeMethod.KNN && p.encoder() == EncoderKind.TRAINED));
        if (anyKnn) for (String d : datasets) header.add(d + " kNN");
        header.add("vs floors (" + (datasets.isEmpty() ? "–" : datasets.get(0)) + " linear)");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResults r = runs.get(i);
            List<String> row = new ArrayList<>();
            row.add(names.get(i));
            row.add(r.method() == null ? "–" : r.method().label());
            row.add(r.method() == null ? "–" : r.method().singlePass() ? "yes" : "no");
            row.add(r.method() == null ? "–" : r.method().bufferType());
            row.add(r.method() == null ? "–" : r.method().bufferSizeLabel());
            for (String d : datasets) row.add(r.finalTrained(d, ProbeMethod.LINEAR).map(p -> Fmt.pct(p.top1())).orElse("–"));
            if (anyKnn) for (String d : datasets) row.add(r.finalTrained(d, ProbeMethod.KNN).map(p -> Fmt.pct(p.top1())).orElse("–"));
            row.add(datasets.isEmpty() ? "–" : versusFloors(r, datasets.get(0)));
            rows.add(row);
        }
        for (EncoderKind k : new EncoderKind[] {EncoderKind.RANDOM_INIT, EncoderKind.RAW_PIXELS}) {
            List<String> row = new ArrayList<>(List.of("**floor**", k.title(), "", "", ""));
            for (String d : datasets) row.add(floorRange(k, d, ProbeMethod.LINEAR));
            if (anyKnn) for (String d : datasets) row.add(floorRange(k, d, ProbeMethod.KNN));
            row.add("");
            rows.add(row);
        }
        s.table(null, header, rows);
        s.para("\"vs floors\" gives the final trained top-1 minus the raw-pixel floor / minus the random-init floor of the same run, in points; "
                + "a run does not show a gain unless both are clearly positive (single runs: about ±1 point is seed noise). "
                + "Floor rows show one value, or the range over the runs when their floors differ.");

        List<Integer> domainRuns = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) if (runs.get(i).domainMatrix() != null) domainRuns.add(i);
        if (!domainRuns.isEmpty()) {
            int n = domainRuns.stream().mapToInt(i -> runs.get(i).domainMatrix().size()).max().orElse(0);
            Doc.Section c = doc.section("Continual evaluation (reference Section 6 table shape)");
            List<String> h = new ArrayList<>(List.of("run", "method", "single pass", "buffer", "Acc @ 25-50-75-100 %"));
            for (int k = 0; k < n - 1; k++) h.add("Forgetting % D" + k);
            for (int k = 0; k < n - 1; k++) h.add("Forgetting pts D" + k);
            List<List<String>> cr = new ArrayList<>();
            for (int i : domainRuns) {
                RunResults r = runs.get(i);
                DomainMatrix m = r.domainMatrix();
                List<String> row = new ArrayList<>();
                row.add(names.get(i));
                row.add(r.method() == null ? "–" : r.method().label());
                row.add(r.method() == null ? "–" : r.method().singlePass() ? "yes" : "no");
                row.add(r.method() == null ? "–" : r.method().bufferSizeLabel());
                row.add(accAtProgress(r));
                for (int k = 0; k < n - 1; k++) row.add(k < m.size() - 1 ? joined(Forgetting.ofDomain(m, k), true) : "–");
                for (int k = 0; k < n - 1; k++) row.add(k < m.size() - 1 ? joined(Forgetting.ofDomain(m, k), false) : "–");
                cr.add(row);
            }
            c.table(null, h, cr);
            c.para("Acc: linear top-1 on the in-distribution downstream set at 25/50/75/100 % of the stream. "
                    + "Forgetting D_k lists F_k(j) for every later domain j = k+1 … (as the reference's table: D0 has 3 values, D1 2, D2 1). "
                    + Forgetting.DEFINITION + " Domains are stream positions; see each run's report for the ids.");
        }
        List<List<String>> src = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResults r = runs.get(i);
            src.add(List.of(names.get(i), "`" + sources.get(i) + "`", Long.toString(r.seed()), "`" + Fmt.orDash(r.configHash()) + "`",
                    r.stream() == null ? "–" : Fmt.orDash(r.stream().kind()) + ", " + Fmt.count(r.stream().length()) + " images"));
        }
        doc.section("Runs").table(null, List.of("run", "results", "seed", "config hash", "stream"), src);
        return doc;
    }

    public String markdown() {
        return new MarkdownRenderer().render(document());
    }

    public String html() {
        return new HtmlRenderer().render(document());
    }

    /** Writes compare.md and compare.html into {@code outDir}; returns the Markdown path. */
    public Path write(Path outDir) {
        try {
            Files.createDirectories(outDir);
            Doc doc = document();
            Path md = atomic(outDir.resolve("compare.md"), new MarkdownRenderer().render(doc));
            atomic(outDir.resolve("compare.html"), new HtmlRenderer().render(doc));
            return md;
        } catch (IOException e) {
            throw new UncheckedIOException("report --compare: cannot write into " + outDir + ": " + e.getMessage(), e);
        }
    }

    private static Path atomic(Path target, String text) {
        AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
        return target;
    }

    private List<String> datasets() {
        Set<String> in = new LinkedHashSet<>(), out = new LinkedHashSet<>();
        for (RunResults r : runs) for (String d : r.datasets()) (r.roleOf(d) == DatasetRole.IN_DISTRIBUTION ? in : out).add(d);
        out.removeAll(in);
        List<String> all = new ArrayList<>(in);
        all.addAll(out);
        return all;
    }

    private String roleShort(String d) {
        for (RunResults r : runs) if (r.datasets().contains(d)) return r.roleOf(d) == DatasetRole.IN_DISTRIBUTION ? "in-dist." : "out-of-dist.";
        return "?";
    }

    private String floorRange(EncoderKind k, String d, ProbeMethod m) {
        DoubleSummaryStatistics st = runs.stream().map(r -> r.floor(k, d, m)).flatMap(Optional::stream)
                .mapToDouble(ProbeRecord::top1).summaryStatistics();
        if (st.getCount() == 0) return "–";
        return st.getMin() == st.getMax() ? Fmt.pct(st.getMin()) : Fmt.pct(st.getMin()) + "–" + Fmt.pct(st.getMax());
    }

    private static String versusFloors(RunResults r, String d) {
        Optional<ProbeRecord> t = r.finalTrained(d, ProbeMethod.LINEAR);
        if (t.isEmpty()) return "–";
        Optional<ProbeRecord> raw = r.floor(EncoderKind.RAW_PIXELS, d, ProbeMethod.LINEAR);
        Optional<ProbeRecord> rnd = r.floor(EncoderKind.RANDOM_INIT, d, ProbeMethod.LINEAR);
        String a = raw.map(f -> Fmt.delta(t.get().top1() - f.top1())).orElse("n/m");
        String b = rnd.map(f -> Fmt.delta(t.get().top1() - f.top1())).orElse("n/m");
        return "raw " + a + " / rand " + b;
    }

    private static String accAtProgress(RunResults r) {
        String inDist = r.datasets().stream().filter(d -> r.roleOf(d) == DatasetRole.IN_DISTRIBUTION).findFirst().orElse(null);
        if (inDist == null) return "–";
        List<ProbeRecord> curve = r.trainedCurve(inDist, ProbeMethod.LINEAR);
        List<String> v = new ArrayList<>();
        for (double p : ReportBuilder.REFERENCE_PROGRESS) {
            v.add(curve.stream().filter(x -> Math.abs(x.progress() - p) < 1e-9).findFirst().map(x -> Fmt.pct(x.top1())).orElse("n/a"));
        }
        return String.join(" - ", v);
    }

    private static String joined(List<ForgettingEntry> es, boolean relative) {
        List<String> v = new ArrayList<>();
        for (ForgettingEntry e : es) {
            v.add(relative ? (e.relativePercent() == null ? "n/a" : Fmt.num(e.relativePercent(), 2)) : Fmt.num(e.absolutePoints(), 2));
        }
        return String.join(" - ", v);
    }
}
