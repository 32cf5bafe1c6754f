package org.contssl.reports.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.contssl.reports.forgetting.Forgetting;
import org.contssl.reports.results.EncoderKind;
import org.contssl.reports.results.JobRecord;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.ProbeRecord;
import org.contssl.reports.results.RunResults;
import org.contssl.reports.series.MetricsRow;

/**
 * The report's summary sentences. They compare the trained encoder with BOTH floors (raw pixels and a random-init
 * encoder, same probe) and only call something a gain when it clears the floor by more than the noise margin; a
 * result on par with or below a floor is stated as such, in bold, so the report can never overclaim.
 */
public final class Findings {
    private Findings() {}

    public static List<String> of(RunResults r, List<MetricsRow> metrics, double margin) {
        List<String> out = new ArrayList<>();
        for (JobRecord j : r.jobs()) {
            if (!"COMPLETED".equalsIgnoreCase(j.status())) {
                out.add("**Job `" + j.name() + "` is " + j.status() + "**: the results below may be partial.");
            }
        }
        for (String d : r.datasets()) {
            for (ProbeMethod m : ProbeMethod.values()) {
                r.finalTrained(d, m).ifPresent(t -> out.add(versusFloors(r, t, margin)));
            }
        }
        if (r.datasets().isEmpty()) {
            out.add("**No probe results**: nothing can be said about the representation.");
        }
        if (r.domainMatrix() != null && r.domainMatrix().size() > 1) {
            var dm = r.domainMatrix();
            out.add(String.format(Locale.ROOT, "Continual evaluation over %d domains: mean accuracy over all domains with the final checkpoint %s %%; "
                    + "forgetting left at the end, averaged over %s: %s points (definitions under Protocol).",
                    dm.size(), Fmt.pct(Forgetting.finalAverageAccuracy(dm)), dm.size() == 2 ? "D0" : "D0…D" + (dm.size() - 2),
                    Fmt.delta(Forgetting.meanFinalAbsolute(dm))));
        }
        if (r.collapse() != null) {
            var c = r.collapse();
            out.add(c.collapsed()
                    ? String.format(Locale.ROOT, "**Collapse detected**: the std of the normalised projector output is %.4f, below the threshold 0.5/√%d = %.4f.", c.value(), c.dim(), c.threshold())
                    : String.format(Locale.ROOT, "No collapse: the std of the normalised projector output is %.4f, above the threshold 0.5/√%d = %.4f (fully spread: %.4f).", c.value(), c.dim(), c.threshold(), 1 / Math.sqrt(c.dim())));
        }
        lossTrend(metrics).ifPresent(out::add);
        if (r.skippedImagesTotal() > 0) {
            out.add(Fmt.count(r.skippedImagesTotal()) + " image(s) were skipped (unreadable or invalid); see Skipped images.");
        }
        return out;
    }

    /** One sentence: the final trained result on one dataset/method against both floors. */
    static String versusFloors(RunResults r, ProbeRecord t, double margin) {
        String head = String.format(Locale.ROOT, "**%s** (%s), %s, checkpoint at %s of the stream: top-1 %s %%",
                t.dataset(), t.role().key(), t.method().title(), progress(t.progress()), Fmt.pct(t.top1()));
        Optional<ProbeRecord> raw = r.floor(EncoderKind.RAW_PIXELS, t.dataset(), t.method());
        Optional<ProbeRecord> rnd = r.floor(EncoderKind.RANDOM_INIT, t.dataset(), t.method());
        List<String> parts = new ArrayList<>();
        int gains = 0;
        Verdict vRaw = raw.map(f -> Verdict.of(t.top1() - f.top1(), margin)).orElse(Verdict.MISSING);
        Verdict vRnd = rnd.map(f -> Verdict.of(t.top1() - f.top1(), margin)).orElse(Verdict.MISSING);
        parts.add(clause(vRaw, "raw-pixel", raw, t, "the trained encoder does not beat raw pixels", "no gain over raw pixels is shown"));
        parts.add(clause(vRnd, "random-init", rnd, t, "pretraining does worse than no pretraining", "no gain over a random-init encoder is shown"));
        if (vRaw == Verdict.ABOVE) gains++;
        if (vRnd == Verdict.ABOVE) gains++;
        String verdict = gains == 2 ? "the gain over both floors exceeds the ±" + Fmt.num(margin, 1) + "-point noise margin."
                : "**no gain over both floors is claimed.**";
        return head + "; " + String.join("; ", parts) + " — " + verdict;
    }

    private static String clause(Verdict v, String name, Optional<ProbeRecord> floor, ProbeRecord t, String belowText, String parText) {
        if (v == Verdict.MISSING) {
            return "**" + name + " floor not measured**, so no gain over it can be claimed";
        }
        double f = floor.get().top1();
        String d = Fmt.delta(t.top1() - f);
        return switch (v) {
            case ABOVE -> d + " points above the " + name + " floor (" + Fmt.pct(f) + " %)";
            case PAR -> d + " points vs the " + name + " floor (" + Fmt.pct(f) + " %), within the noise margin: **" + parText + "**";
            case BELOW -> "**" + d.replace("−", "") + " points below the " + name + " floor (" + Fmt.pct(f) + " %): " + belowText + "**";
            default -> throw new IllegalStateException();
        };
    }

    enum Verdict {
        ABOVE, PAR, BELOW, MISSING;

        static Verdict of(double diff, double margin) {
            if (diff > margin) return ABOVE;
            if (diff < -margin) return BELOW;
            return PAR;
        }
    }

    /** "SSL loss fell from a to b" comparing the means of the first and last tenth of the logged steps. */
    static Optional<String> lossTrend(List<MetricsRow> metrics) {
        double[] l = metrics.stream().mapToDouble(MetricsRow::loss).filter(Double::isFinite).toArray();
        if (l.length < 10) return Optional.empty();
        int w = Math.max(1, l.length / 10);
        double first = 0, last = 0;
        for (int i = 0; i < w; i++) {
            first += l[i];
            last += l[l.length - 1 - i];
        }
        first /= w;
        last /= w;
        return Optional.of(last < first
                ? String.format(Locale.ROOT, "SSL loss fell from %.4f (mean of the first tenth of logged steps) to %.4f (last tenth).", first, last)
                : String.format(Locale.ROOT, "**SSL loss did not fall**: %.4f (first tenth of logged steps) → %.4f (last tenth).", first, last));
    }

    static String progress(Double p) {
        return p == null ? "–" : String.format(Locale.ROOT, "%.0f %%", 100 * p);
    }
}
