package org.contssl.reports.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Welch values checked against closed forms and a hand computation (no scipy): Student's t with 1 degree of freedom
 * is Cauchy (F(t) = 1/2 + atan(t)/π) and with 2 it is F(t) = 1/2 + t / (2√(2 + t²)); the unequal-variance case was
 * computed by hand and its tail integrated numerically (Simpson, 400k intervals).
 */
class WelchTest {

    @Test
    void oneDegreeOfFreedomIsCauchy() {
        // a: mean 2, s² 2, s²/n 1; b: no spread -> se 1, t 2, df exactly 1
        Welch w = Welch.test(List.of(1.0, 3.0), List.of(0.0, 0.0));
        assertThat(w.se()).isCloseTo(1.0, within(1e-12));
        assertThat(w.t()).isCloseTo(2.0, within(1e-12));
        assertThat(w.df()).isCloseTo(1.0, within(1e-12));
        assertThat(w.p()).isCloseTo(1 - 2 / Math.PI * Math.atan(2), within(1e-9)); // 0.295167
        double q = Math.tan(Math.PI * 0.475); // t(0.975, 1) = 12.7062
        assertThat(w.ciLow()).isCloseTo(2 - q, within(1e-6));
        assertThat(w.ciHigh()).isCloseTo(2 + q, within(1e-6));
    }

    @Test
    void twoSeedsEachGiveTwoDegreesOfFreedom() {
        Welch w = Welch.test(List.of(1.0, 3.0), List.of(0.0, 2.0));
        assertThat(w.df()).isCloseTo(2.0, within(1e-12));
        double t = 1 / Math.sqrt(2);
        assertThat(w.t()).isCloseTo(t, within(1e-12));
        double cdf = 0.5 + t / (2 * Math.sqrt(2 + t * t));
        assertThat(w.p()).isCloseTo(2 * (1 - cdf), within(1e-9)); // 0.552786
        // t(0.975, 2) = 4.30265: the interval with 2 seeds is ±4.3 standard errors wide
        assertThat(w.ciHigh() - w.diff()).isCloseTo(4.302653 * Math.sqrt(2), within(1e-5));
    }

    @Test
    void unequalVariancesMatchTheHandComputation() {
        Welch w = Welch.test(List.of(1.0, 2.0, 3.0, 4.0), List.of(2.0, 4.0, 6.0, 8.0, 10.0));
        assertThat(w.diff()).isCloseTo(-3.5, within(1e-12));
        assertThat(w.se()).isCloseTo(1.5545632, within(1e-6));
        assertThat(w.t()).isCloseTo(-2.2514363, within(1e-6));
        assertThat(w.df()).isCloseTo(5.5207877, within(1e-6));
        assertThat(w.p()).isCloseTo(0.0691336, within(1e-5));
    }

    @Test
    void verdictsFollowTheSignAndTheNoise() {
        // clearly separated in the paper's direction
        Verdict up = Verdict.of(Welch.test(List.of(10.0, 10.2, 10.1), List.of(5.0, 5.1, 4.9)), false, "points");
        assertThat(up.outcome()).isEqualTo(Verdict.Outcome.REPRODUCED);
        // the same numbers for a lower-is-better measure contradict the paper
        Verdict down = Verdict.of(Welch.test(List.of(10.0, 10.2, 10.1), List.of(5.0, 5.1, 4.9)), true, "points");
        assertThat(down.outcome()).isEqualTo(Verdict.Outcome.CONTRADICTED);
        // within noise
        Verdict noise = Verdict.of(Welch.test(List.of(1.0, 3.0), List.of(0.0, 2.0)), false, "points");
        assertThat(noise.outcome()).isEqualTo(Verdict.Outcome.NOT_RESOLVED);
        assertThat(noise.reason()).contains("within seed noise");
        // one seed: no test
        Verdict one = Verdict.of(Welch.test(List.of(10.0), List.of(5.0)), false, "points");
        assertThat(one.outcome()).isEqualTo(Verdict.Outcome.NOT_RESOLVED);
        assertThat(one.reason()).contains("n too small");
        assertThat(Double.isNaN(one.test().p())).isTrue();
    }
}
