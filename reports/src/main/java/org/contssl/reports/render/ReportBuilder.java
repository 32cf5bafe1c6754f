package org.contssl.reports.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.contssl.reports.charts.ChartImage;
import org.contssl.reports.forgetting.Forgetting;
import org.contssl.reports.forgetting.ForgettingEntry;
import org.contssl.reports.results.CheckpointRecord;
import org.contssl.reports.results.DatasetRole;
import org.contssl.reports.results.DomainMatrix;
import org.contssl.reports.results.EncoderKind;
import org.contssl.reports.results.JobRecord;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.ProbeProtocol;
import org.contssl.reports.results.ProbeRecord;
import org.contssl.reports.results.RunResults;
import org.contssl.reports.results.SkippedImage;
import org.contssl.reports.results.StreamFacts;
import org.contssl.reports.series.MetricsRow;

/** Assembles one run's report as a {@link Doc}: summary, tables, charts, protocol and reproducibility facts. */
public final class ReportBuilder {
    /** Stream fractions of the reference's continual-evaluation table (Section 6). */
    public static final double[] REFERENCE_PROGRESS = {0.25, 0.5, 0.75, 1.0};

    private final ReportOptions options;

    public ReportBuilder(ReportOptions options) {
        this.options = options;
    }

    /**
     * @param charts      rendered charts by file name (any may be absent)
     * @param metrics     rows of metrics.csv (may be empty)
     * @param seriesNotes remarks about missing time series (e.g. "metrics.csv not found at ...")
     */
    public Doc build(RunResults r, Map<String, ChartImage> charts, List<MetricsRow> metrics, List<String> seriesNotes) {
        Doc doc = new Doc("contssl run report — " + Fmt.orDash(r.runName()));
        doc.subtitle.add("Created " + Fmt.orDash(r.createdAt()) + " · workdir `" + Fmt.orDash(r.workdir()) + "`");
        doc.subtitle.add("Method: " + (r.method() == null ? "–" : r.method().label()) + " · seed " + r.seed()
                + " · config hash `" + Fmt.orDash(r.configHash()) + "`");

        doc.section("Summary").bullets(Findings.of(r, metrics, options.noiseMarginPoints()));

        probesSection(doc, r, charts);
        if (r.domainMatrix() != null) {
            continualSection(doc, r, charts);
        }
        Doc.Section training = doc.section("Pretraining curves");
        for (String name : List.of("loss.png", "lr.png", "collapse.png", "buffer_composition.png", "buffer_stats.png", "throughput.png")) {
            training.figure(charts.get(name));
        }
        if (!seriesNotes.isEmpty()) training.bullets(seriesNotes);
        streamSection(doc, r);
        jobsSection(doc, r);
        protocolSection(doc, r);
        reproducibilitySection(doc, r);
        if (!r.notes().isEmpty()) doc.section("Notes").bullets(r.notes());
        return doc;
    }

    private void probesSection(Doc doc, RunResults r, Map<String, ChartImage> charts) {
        Doc.Section s = doc.section("Downstream probes (top-1 / top-5 %, the two floors use the same probe)");
        List<String> datasets = r.datasets();
        if (datasets.isEmpty()) {
            s.para("No probe results were recorded.");
            return;
        }
        boolean anyKnn = r.probes().stream().anyMatch(p -> p.method() == ProbeMethod.KNN);
        List<String> header = new ArrayList<>(List.of("encoder"));
        for (String d : datasets) {
            String role = r.roleOf(d) == DatasetRole.IN_DISTRIBUTION ? "in-dist." : "out-of-dist.";
            header.add(d + " (" + role + ") linear top-1");
            header.add(d + " linear top-5");
            if (anyKnn) header.add(d + " kNN top-1");
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> trained = new ArrayList<>(List.of("trained encoder, final checkpoint"));
        for (String d : datasets) {
            Optional<ProbeRecord> lin = r.finalTrained(d, ProbeMethod.LINEAR);
            trained.add(lin.map(p -> Fmt.pct(p.top1())).orElse("–"));
            trained.add(lin.map(p -> Fmt.pct(p.top5())).orElse("–"));
            if (anyKnn) trained.add(r.finalTrained(d, ProbeMethod.KNN).map(p -> Fmt.pct(p.top1())).orElse("–"));
        }
        rows.add(trained);
        for (EncoderKind k : new EncoderKind[] {EncoderKind.RANDOM_INIT, EncoderKind.RAW_PIXELS}) {
            List<String> row = new ArrayList<>(List.of(k.title()));
            for (String d : datasets) {
                Optional<ProbeRecord> lin = r.floor(k, d, ProbeMethod.LINEAR);
                row.add(lin.map(p -> Fmt.pct(p.top1())).orElse("not measured"));
                row.add(lin.map(p -> Fmt.pct(p.top5())).orElse("–"));
                if (anyKnn) row.add(r.floor(k, d, ProbeMethod.KNN).map(p -> Fmt.pct(p.top1())).orElse("not measured"));
            }
            rows.add(row);
        }
        for (EncoderKind k : new EncoderKind[] {EncoderKind.RANDOM_INIT, EncoderKind.RAW_PIXELS}) {
            List<String> row = new ArrayList<>(List.of("trained − " + k.key() + " (points)"));
            for (String d : datasets) {
                row.add(diff(r, d, ProbeMethod.LINEAR, k));
                row.add("");
                if (anyKnn) row.add(diff(r, d, ProbeMethod.KNN, k));
            }
            rows.add(row);
        }
        s.table(null, header, rows);

        // per-checkpoint accuracies (continual evaluation at eval.progress)
        List<ProbeRecord> trainedAll = r.probes().stream().filter(p -> p.encoder() == EncoderKind.TRAINED).toList();
        List<Double> progresses = trainedAll.stream().map(ProbeRecord::progress).distinct().sorted().toList();
        if (!progresses.isEmpty()) {
            List<String> h = new ArrayList<>(List.of("checkpoint", "progress", "step", "images seen"));
            for (String d : datasets) {
                h.add(d + " linear");
                if (anyKnn) h.add(d + " kNN");
            }
            List<List<String>> cr = new ArrayList<>();
            for (double p : progresses) {
                Optional<CheckpointRecord> ck = r.checkpoints().stream().filter(c -> Math.abs(c.progress() - p) < 1e-9).findFirst();
                String name = ck.map(CheckpointRecord::name).orElse(trainedAll.stream().filter(t -> t.progress() == p)
                        .map(ProbeRecord::checkpoint).filter(x -> x != null).findFirst().orElse("–"));
                List<String> row = new ArrayList<>(List.of(name, Fmt.num(p, 4), ck.map(c -> Fmt.count(c.step())).orElse("–"),
                        ck.map(c -> Fmt.count(c.imagesSeen())).orElse("–")));
                for (String d : datasets) {
                    row.add(at(r, d, ProbeMethod.LINEAR, p));
                    if (anyKnn) row.add(at(r, d, ProbeMethod.KNN, p));
                }
                cr.add(row);
            }
            s.table("Top-1 (%) of every probed checkpoint", h, cr);
        }
        for (String d : datasets) s.figure(charts.get("accuracy_" + org.contssl.reports.charts.ChartRenderer.slug(d) + ".png"));
        List<List<String>> sizes = new ArrayList<>();
        for (String d : datasets) {
            r.probes().stream().filter(p -> p.dataset().equals(d)).findFirst().ifPresent(p -> sizes.add(List.of(d, p.role().key(),
                    Fmt.count(p.trainSize()), Fmt.count(p.testSize()), p.featureDim() == null ? "–" : Integer.toString(p.featureDim()))));
        }
        s.table("Probe set sizes", List.of("dataset", "role", "probe train images", "probe test images", "feature dim (trained)"), sizes);
    }

    private static String diff(RunResults r, String d, ProbeMethod m, EncoderKind floor) {
        Optional<ProbeRecord> t = r.finalTrained(d, m), f = r.floor(floor, d, m);
        return t.isPresent() && f.isPresent() ? Fmt.delta(t.get().top1() - f.get().top1()) : "–";
    }

    private static String at(RunResults r, String d, ProbeMethod m, double progress) {
        return r.trainedCurve(d, m).stream().filter(p -> Math.abs(p.progress() - progress) < 1e-9).findFirst()
                .map(p -> Fmt.pct(p.top1())).orElse("–");
    }

    private void continualSection(Doc doc, RunResults r, Map<String, ChartImage> charts) {
        DomainMatrix m = r.domainMatrix();
        int n = m.size();
        Doc.Section s = doc.section("Continual evaluation and forgetting");
        s.para("Domain order (stream positions → domain ids): " + String.join(", ", positions(m)) + ". Rows and columns "
                + "below are stream positions; " + Forgetting.DEFINITION);
        List<String> h = new ArrayList<>(List.of("A[after i][on j]"));
        for (int j = 0; j < n; j++) h.add("on " + m.label(j));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> row = new ArrayList<>(List.of("after " + m.label(i) + (m.checkpoints().isEmpty() ? "" : " (`" + m.checkpoints().get(i) + "`)")));
            for (int j = 0; j < n; j++) row.add(i == j ? "**" + Fmt.pct(m.at(i, j)) + "**" : Fmt.pct(m.at(i, j)));
            rows.add(row);
        }
        s.table("Accuracy matrix A (" + m.method().title() + " top-1 %; diagonal = right after learning the domain)", h, rows);
        List<ForgettingEntry> es = Forgetting.entries(m);
        if (!es.isEmpty()) {
            List<List<String>> fr = new ArrayList<>();
            for (ForgettingEntry e : es) {
                fr.add(List.of(e.domainLabel(), "after " + e.afterLabel(), Fmt.pct(e.learned()), Fmt.pct(e.later()),
                        Fmt.delta(e.absolutePoints()), e.relativePercent() == null ? "undefined (A[k][k] = 0)" : Fmt.delta(e.relativePercent())));
            }
            s.table("Forgetting of each domain after every later domain", List.of("domain k", "after domain j", "A[k][k] (%)", "A[j][k] (%)",
                    "absolute F (points)", "relative F (%)"), fr);
            List<String> hh = new ArrayList<>(List.of("forgetting"));
            List<String> rel = new ArrayList<>(List.of("relative (%)"));
            List<String> abs = new ArrayList<>(List.of("absolute (points)"));
            for (int k = 0; k < n - 1; k++) {
                hh.add(m.label(k) + " (after " + (k + 1 == n - 1 ? m.label(n - 1) : "D" + (k + 1) + "…D" + (n - 1)) + ")");
                List<ForgettingEntry> dk = Forgetting.ofDomain(m, k);
                rel.add(String.join(" - ", dk.stream().map(e -> e.relativePercent() == null ? "–" : Fmt.num(e.relativePercent(), 2)).toList()));
                abs.add(String.join(" - ", dk.stream().map(e -> Fmt.num(e.absolutePoints(), 2)).toList()));
            }
            s.table("In the reference's table shape (Forgetting % D0 | D1 | D2)", hh, List.of(rel, abs));
            s.para("Mean accuracy over all domains with the final checkpoint: " + Fmt.pct(Forgetting.finalAverageAccuracy(m))
                    + " %. Forgetting left at the end of the stream, averaged over the earlier domains: " + Fmt.delta(Forgetting.meanFinalAbsolute(m)) + " points.");
        }
        String inDist = r.datasets().stream().filter(d -> r.roleOf(d) == DatasetRole.IN_DISTRIBUTION).findFirst().orElse(null);
        if (inDist != null) {
            List<String> accs = new ArrayList<>();
            for (double p : REFERENCE_PROGRESS) accs.add(at(r, inDist, ProbeMethod.LINEAR, p).replace("–", "n/a"));
            s.para("Accuracy @ 25-50-75-100 % of the stream (" + inDist + ", linear top-1): " + String.join(" - ", accs) + ".");
        }
        s.figure(charts.get("forgetting_heatmap.png"));
    }

    private static List<String> positions(DomainMatrix m) {
        List<String> p = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) p.add(i + " → " + m.domainOrder().get(i));
        return p;
    }

    private void streamSection(Doc doc, RunResults r) {
        Doc.Section s = doc.section("Stream and checkpoints");
        StreamFacts f = r.stream();
        if (f == null) {
            s.para("No stream facts were recorded.");
        } else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("kind", Fmt.orDash(f.kind())));
            rows.add(List.of("source images (before subsample)", Fmt.count(f.sourceImages())));
            rows.add(List.of("subsample (every n-th record)", Integer.toString(f.subsample())));
            rows.add(List.of("stream length (images)", Fmt.count(f.length())));
            rows.add(List.of("dropped tail (images short of a full batch)", Fmt.count(f.droppedTail())));
            rows.add(List.of("batch size", Integer.toString(f.batchSize())));
            if (!f.domainOrder().isEmpty()) rows.add(List.of("domain order", String.join("", f.domainOrder())));
            for (var e : f.stepsPerPhase().entrySet()) rows.add(List.of("steps in phase `" + e.getKey() + "`", Fmt.count(e.getValue())));
            rows.add(List.of("total SGD steps", Fmt.count(f.totalSteps())));
            s.table(null, List.of("stream fact", "value"), rows);
        }
        if (!r.checkpoints().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (CheckpointRecord c : r.checkpoints()) {
                rows.add(List.of("`" + c.name() + "`", Fmt.num(c.progress(), 4), Fmt.count(c.step()), Fmt.count(c.imagesSeen()),
                        c.sha256() == null ? "–" : "`" + c.sha256() + "`"));
            }
            s.table("Checkpoints", List.of("name", "progress", "step", "images seen", "params sha256"), rows);
        }
    }

    private void jobsSection(Doc doc, RunResults r) {
        Doc.Section s = doc.section("Jobs");
        if (r.jobs().isEmpty()) {
            s.para("No job records.");
        } else {
            List<List<String>> rows = new ArrayList<>();
            double total = 0;
            for (JobRecord j : r.jobs()) {
                total += j.wallSeconds();
                rows.add(List.of(j.name(), j.status(), Integer.toString(j.executions()), Fmt.seconds(j.wallSeconds()), Fmt.count(j.readCount()),
                        Fmt.count(j.writeCount()), Fmt.count(j.skipCount()), Fmt.orDash(j.exitMessage())));
            }
            rows.add(List.of("**total**", "", "", Fmt.seconds(total), "", "", "", ""));
            s.table(null, List.of("job", "status", "executions", "wall time", "read", "written", "skipped", "exit message"), rows);
        }
        if (r.skippedImagesTotal() > 0) {
            List<List<String>> rows = new ArrayList<>();
            for (SkippedImage si : r.skippedImages().stream().limit(options.maxSkippedListed()).toList()) {
                rows.add(List.of(Long.toString(si.index()), "`" + si.path() + "`", si.reason()));
            }
            String cap = "Skipped images (" + Fmt.count(r.skippedImagesTotal()) + " in total"
                    + (r.skippedImagesTotal() > rows.size() ? ", first " + rows.size() + " listed)" : ")");
            s.table(cap, List.of("index", "path", "reason"), rows);
        }
    }

    private void protocolSection(Doc doc, RunResults r) {
        Doc.Section s = doc.section("Protocol");
        List<String> b = new ArrayList<>();
        Optional<ProbeProtocol> any = r.probeProtocols().values().stream().findFirst();
        b.add("Features: " + any.map(ProbeProtocol::features).filter(x -> x != null && !x.isBlank())
                .orElse("global-average-pooled backbone output (before the projector), backbone frozen in eval mode, L2-normalised") + ".");
        r.probeProtocols().values().stream().map(ProbeProtocol::mode).filter(x -> x != null && !x.isBlank()).findFirst()
                .ifPresent(mode -> b.add("Probe mode (lincls.mode): " + mode + "."));
        b.add("Linear probe (reference §9.1, schedule scaled down for small probe sets): a linear layer on the L2-normalised features, "
                + "weight ~ N(0, 0.01²), bias 0, cross-entropy, SGD momentum wrapped in LARC (no clipping, eps 1e-8), "
                + "LR lr·½(1+cos(π·e/E)) constant within epoch e, seeded shuffles; settings per dataset in the table below.");
        b.add("kNN probe: cosine similarity on L2-normalised features; "
                + any.map(ProbeProtocol::knnVoting).filter(x -> x != null && !x.isBlank())
                .orElse("each of the k nearest training samples votes exp(cos/0.07) for its class; ties to the lower index") + ".");
        b.add("Metrics: top-1 / top-5 accuracy in % on the probe test set (top-5 uses min(5, classes)); differences are in percentage points.");
        b.add("Floors: **raw pixels** = the same probe on the pixel values; **random-init** = an encoder of the same architecture "
                + "with seeded random weights and no training, probed identically. A trained encoder shows a gain only if it beats both.");
        b.add("Claim policy: a difference to a floor within ±" + Fmt.num(options.noiseMarginPoints(), 1)
                + " points is reported as on par (single run; the seed-to-seed spread of the demo setting is about one point), never as a gain.");
        b.add("Forgetting: " + Forgetting.DEFINITION);
        s.bullets(b);
        if (!r.probeProtocols().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (ProbeProtocol p : r.probeProtocols().values()) {
                rows.add(List.of(p.dataset(), p.role() == null ? "–" : p.role().key(), Fmt.orDash(p.trainSet()) + " (" + Fmt.count(p.trainSize()) + ")",
                        Fmt.orDash(p.testSet()) + " (" + Fmt.count(p.testSize()) + ")", Integer.toString(p.epochs()), Fmt.sig(p.lr()),
                        Integer.toString(p.batchSize()), Fmt.sig(p.momentum()), Fmt.sig(p.larcTrust()), Fmt.sig(p.weightDecay()),
                        Integer.toString(p.knnK()), Long.toString(p.seed())));
            }
            s.table("Probe settings per downstream dataset", List.of("dataset", "role", "probe train set", "probe test set", "epochs",
                    "lr", "batch", "momentum", "LARC trust", "weight decay", "kNN k", "seed"), rows);
        }
    }

    private void reproducibilitySection(Doc doc, RunResults r) {
        Doc.Section s = doc.section("Reproducibility");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("run name", Fmt.orDash(r.runName())));
        rows.add(List.of("seed", Long.toString(r.seed())));
        rows.add(List.of("config hash", "`" + Fmt.orDash(r.configHash()) + "`"));
        rows.add(List.of("final_params_sha256", "`" + Fmt.orDash(r.finalParamsSha256()) + "`"));
        if (r.method() != null) {
            rows.add(List.of("method", r.method().label()));
            rows.add(List.of("buffer", r.method().bufferType() + ", " + r.method().bufferSizeLabel() + " entries, R = " + r.method().updatesPerChunk()));
            rows.add(List.of("single pass", r.method().singlePass() ? "yes" : "no (" + r.method().epochs() + " epochs)"));
        }
        for (var e : r.versions().entrySet()) rows.add(List.of("version: " + e.getKey(), e.getValue()));
        s.table(null, List.of("fact", "value"), rows);
        if (!r.dataHashes().isEmpty()) {
            List<List<String>> dh = new ArrayList<>();
            for (var e : r.dataHashes().entrySet()) dh.add(List.of(e.getKey(), "`" + e.getValue() + "`"));
            s.table("Data hashes (sha256)", List.of("data", "sha256"), dh);
        }
        s.para("Resolved configuration:");
        s.pre(flatten(r.config()));
    }

    /** key=value lines with dotted keys, the form `./run.sh run` accepts as overrides. */
    static String flatten(Map<String, Object> config) {
        StringBuilder sb = new StringBuilder();
        flatten("", config, sb);
        return sb.length() == 0 ? "(not recorded)\n" : sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> m, StringBuilder sb) {
        for (var e : m.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> sub) {
                flatten(key, (Map<String, Object>) sub, sb);
            } else {
                sb.append(key).append('=').append(e.getValue() == null ? "null" : String.valueOf(e.getValue())).append('\n');
            }
        }
    }

    static String progressLabel(double p) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * p);
    }
}
