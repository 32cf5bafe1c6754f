package org.contssl.reports.stats;

import java.util.Locale;

/**
 * A finding's verdict, computed from a Welch test of (setting the paper finds better) − (the one it finds worse),
 * signed so that a positive gain is the paper's direction: <em>reproduced</em> when the two-sided p-value is below
 * {@link #ALPHA} in the paper's direction (its 95 % interval then excludes 0), <em>contradicted</em> when it is below
 * in the other direction, <em>not resolved</em> otherwise — including when fewer than 2 seeds per setting exist or
 * the seeds did not differ at all (no noise estimate, so no test).
 *
 * @param outcome the verdict
 * @param gain    the difference in the paper's direction (points), NaN without data
 * @param test    the Welch test of better − worse on the measure (raw sign)
 * @param reason  one sentence: the numbers the verdict rests on
 */
public record Verdict(Outcome outcome, double gain, Welch test, String reason) {

    public static final double ALPHA = 0.05;

    public enum Outcome {
        REPRODUCED("reproduced"), NOT_RESOLVED("not resolved"), CONTRADICTED("contradicted");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String text() {
            return text;
        }
    }

    /**
     * @param test          Welch test of better − worse
     * @param lowerIsBetter the measure improves downwards (forgetting)
     * @param unit          unit of the measure, for the sentence
     */
    public static Verdict of(Welch test, boolean lowerIsBetter, String unit) {
        double gain = lowerIsBetter ? -test.diff() : test.diff();
        if (test.n1() == 0 || test.n2() == 0) {
            return new Verdict(Outcome.NOT_RESOLVED, gain, test, "no completed cell yet for one of the two settings"
                    + " (n = " + test.n1() + " / " + test.n2() + " seeds)");
        }
        String numbers = String.format(Locale.ROOT, "difference %+.2f %s", test.diff(), unit);
        if (test.n1() < 2 || test.n2() < 2) {
            return new Verdict(Outcome.NOT_RESOLVED, gain, test, numbers + "; n too small for a test (n = "
                    + test.n1() + " / " + test.n2() + " seeds; at least 2 per setting, better 3+)");
        }
        if (!test.defined()) {
            return new Verdict(Outcome.NOT_RESOLVED, gain, test, numbers
                    + "; the seeds gave identical values, so there is no noise estimate and no test");
        }
        String stats = String.format(Locale.ROOT, "%s, 95 %% interval [%+.2f, %+.2f] (Welch t = %.2f, df = %.1f,"
                + " p = %.3f; n = %d / %d seeds)", numbers, test.ciLow(), test.ciHigh(), test.t(), test.df(),
                test.p(), test.n1(), test.n2());
        if (test.p() < ALPHA) {
            return new Verdict(gain > 0 ? Outcome.REPRODUCED : Outcome.CONTRADICTED, gain, test, stats);
        }
        return new Verdict(Outcome.NOT_RESOLVED, gain, test, stats + "; within seed noise");
    }
}
