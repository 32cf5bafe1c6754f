package org.contssl.reports.stats;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Welch's unequal-variance t-test of mean(a) − mean(b), two-sided, with the 95 % confidence interval of the
 * difference: t = (m_a − m_b) / se, se = √(s_a²/n_a + s_b²/n_b), Welch–Satterthwaite degrees of freedom
 * ν = se⁴ / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1)). Needs at least 2 values per group; with 2 seeds ν is
 * between 1 and 2, so the interval is wide (t₀.₉₇₅ between 4.3 and 12.7) — the honest answer for 2 seeds.
 *
 * @param n1       values in a
 * @param n2       values in b
 * @param mean1    mean of a
 * @param mean2    mean of b
 * @param sd1      sample sd of a (n − 1)
 * @param sd2      sample sd of b
 * @param diff     mean1 − mean2
 * @param se       standard error of diff (NaN when a group has fewer than 2 values)
 * @param df       Welch–Satterthwaite degrees of freedom (NaN when undefined)
 * @param t        diff / se
 * @param p        two-sided p-value (NaN when undefined)
 * @param ciLow    lower end of the 95 % interval of diff
 * @param ciHigh   upper end
 */
public record Welch(int n1, int n2, double mean1, double mean2, double sd1, double sd2, double diff, double se,
                    double df, double t, double p, double ciLow, double ciHigh) {

    public static final double CONFIDENCE = 0.95;

    public static Welch test(List<Double> a, List<Double> b) {
        int n1 = a.size();
        int n2 = b.size();
        double m1 = mean(a);
        double m2 = mean(b);
        double s1 = sd(a, m1);
        double s2 = sd(b, m2);
        double diff = m1 - m2;
        if (n1 < 2 || n2 < 2) {
            return new Welch(n1, n2, m1, m2, s1, s2, diff, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN);
        }
        double v1 = s1 * s1 / n1;
        double v2 = s2 * s2 / n2;
        double se = Math.sqrt(v1 + v2);
        if (se == 0) {
            // identical values within each group: no seed noise measured, so no test (and no interval) exists
            return new Welch(n1, n2, m1, m2, s1, s2, diff, 0, Double.NaN, Double.NaN, Double.NaN, diff, diff);
        }
        double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
        double t = diff / se;
        TDistribution dist = new TDistribution(null, df);
        double p = 2 * dist.cumulativeProbability(-Math.abs(t));
        double q = dist.inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        return new Welch(n1, n2, m1, m2, s1, s2, diff, se, df, t, p, diff - q * se, diff + q * se);
    }

    /** A test could be computed (both groups have 2+ values and some spread). */
    public boolean defined() {
        return !Double.isNaN(p);
    }

    public static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n − 1); NaN below 2 values. */
    public static double sd(List<Double> v, double mean) {
        if (v.size() < 2) {
            return Double.NaN;
        }
        double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return Math.sqrt(ss / (v.size() - 1));
    }
}
