package org.contssl.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimingTest {

    @Test
    void repeatRunsWarmupUntimedThenTimesEachRun() throws Exception {
        int[] calls = {0};
        Samples s = Timing.repeat(2, 3, () -> calls[0]++);
        assertThat(calls[0]).isEqualTo(5);
        assertThat(s.wall()).hasSize(3).allMatch(x -> x >= 0);
        assertThat(s.cpu()).hasSize(3);
        assertThat(s.bestWall()).isLessThanOrEqualTo(s.medianWall());
    }

    @Test
    void selfTimedSamplesAreWhatTheTaskReports() throws Exception {
        double[] next = {9, 8, 3, 1, 2};
        int[] i = {0};
        Samples s = Timing.repeatSelfTimed(2, 3, () -> next[i[0]++]);
        assertThat(s.wall()).containsExactly(3.0, 1.0, 2.0);
        assertThat(s.bestWall()).isEqualTo(1.0);
        assertThat(s.medianWall()).isEqualTo(2.0);
    }

    @Test
    void interleavedRoundsRunEveryContenderOncePerRoundInOrder() throws Exception {
        List<String> order = new ArrayList<>();
        Map<String, Timing.Round> c = new LinkedHashMap<>();
        c.put("a", round -> {
            order.add("a" + round);
            return List.of((double) round);
        });
        c.put("b", round -> {
            order.add("b" + round);
            return List.of(10.0 * round, 1.0);
        });
        Map<String, List<Double>> out = Timing.interleaved(3, c);
        assertThat(order).containsExactly("a1", "b1", "a2", "b2", "a3", "b3");
        assertThat(out.get("a")).containsExactly(1.0, 2.0, 3.0);
        assertThat(out.get("b")).containsExactly(10.0, 1.0, 20.0, 1.0, 30.0, 1.0);
    }

    @Test
    void perItemSpendsTheBudgetAndCountsItems() throws Exception {
        int[] seen = {0};
        Timing.Sample s = Timing.perItem(0.02, i -> seen[0] = i);
        assertThat(seen[0]).isGreaterThanOrEqualTo(15);
        assertThat(s.wallSeconds()).isPositive().isLessThan(0.02);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Samples.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }
}
