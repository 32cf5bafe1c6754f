package org.contssl.reports.render;

import java.util.Locale;

/** Number formatting shared by the renderers (ROOT locale: a report must not print "83,41" on a German machine). */
public final class Fmt {
    private Fmt() {}

    /** Accuracy in percent with two decimals, "–" for missing. */
    public static String pct(Double v) {
        return v == null || !Double.isFinite(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Signed difference in points with a real minus sign. */
    public static String delta(double v) {
        if (!Double.isFinite(v)) return "–";
        String s = String.format(Locale.ROOT, "%+.2f", v);
        return s.startsWith("-") ? "−" + s.substring(1) : s;
    }

    public static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "–";
    }

    public static String sig(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "–";
    }

    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    public static String seconds(double s) {
        if (!Double.isFinite(s)) return "–";
        if (s < 120) return String.format(Locale.ROOT, "%.1f s", s);
        if (s < 7200) return String.format(Locale.ROOT, "%.1f min", s / 60);
        return String.format(Locale.ROOT, "%.2f h", s / 3600);
    }

    public static String orDash(String s) {
        return s == null || s.isBlank() ? "–" : s;
    }
}
