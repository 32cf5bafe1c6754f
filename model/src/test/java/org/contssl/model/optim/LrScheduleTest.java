package org.contssl.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void cosineEndsAtExactlyZeroOnTheLastStep() {
        assertThat(LrSchedule.COS.lr(0.05, 1000, 1000)).isEqualTo(0.0);
        assertThat(LrSchedule.COS.lr(0.05, 7, 7)).isEqualTo(0.0);
    }

    @Test
    void cosineStartsJustBelowTheBaseLrAndHalvesAtTheMiddle() {
        double lr0 = 0.05;
        // the first step already uses ε = 1/T (the reference sets the LR after counting the batch)
        assertThat(LrSchedule.COS.lr(lr0, 1, 100)).isEqualTo(lr0 * 0.5 * (1 + Math.cos(Math.PI / 100)));
        assertThat(LrSchedule.COS.lr(lr0, 1, 100)).isLessThan(lr0).isGreaterThan(0.999 * lr0);
        assertThat(LrSchedule.COS.lr(lr0, 50, 100)).isCloseTo(lr0 / 2, within(1e-15));
        assertThat(LrSchedule.COS.lr(lr0, 0, 100)).isEqualTo(lr0);
    }

    @Test
    void cosineDecreasesMonotonically() {
        double prev = Double.MAX_VALUE;
        for (int t = 1; t <= 500; t++) {
            double lr = LrSchedule.COS.lr(0.1, t, 500);
            assertThat(lr).isLessThan(prev);
            prev = lr;
        }
    }

    @Test
    void constantIsConstant() {
        assertThat(LrSchedule.CONSTANT.lr(0.01, 1, 10)).isEqualTo(0.01);
        assertThat(LrSchedule.CONSTANT.lr(0.01, 10, 10)).isEqualTo(0.01);
    }

    @Test
    void parsesTheReferenceNamesOnly() {
        assertThat(LrSchedule.parse("cos")).isSameAs(LrSchedule.COS);
        assertThat(LrSchedule.parse("constant")).isSameAs(LrSchedule.CONSTANT);
        assertThat(LrSchedule.parse("triangle")).isEqualTo(LrSchedule.triangle(3000, 0.003));
        assertThatThrownBy(() -> LrSchedule.parse("step"))
                .hasMessageContaining("optim.lr_schedule=step")
                .hasMessageNotContaining("\n");
    }

    @Test
    void triangleRampsLinearlyFromTheBaseLrToMaxLrAndBackEveryPeriod() {
        // hand-computed from lr0 + u/(P/2)·(max - lr0) for u < P/2, else lr0 + (P - u)/(P/2)·(max - lr0), u = t mod P
        LrSchedule even = LrSchedule.triangle(4, 0.25);
        assertThat(even.lr(0.05, 1, 100)).isCloseTo(0.15, within(1e-15));   // u 1: 0.05 + 1/2·0.2
        assertThat(even.lr(0.05, 2, 100)).isCloseTo(0.25, within(1e-15));   // u 2 = P/2: the peak, second branch
        assertThat(even.lr(0.05, 3, 100)).isCloseTo(0.15, within(1e-15));   // u 3: 0.05 + (4-3)/2·0.2
        assertThat(even.lr(0.05, 4, 100)).isEqualTo(0.05);                  // u 0: back at lr0
        assertThat(even.lr(0.05, 102, 100)).isCloseTo(0.25, within(1e-15)); // periodic, not tied to the total
        LrSchedule odd = LrSchedule.triangle(5, 0.25);
        assertThat(odd.lr(0.05, 1, 100)).isCloseTo(0.13, within(1e-15));    // 0.05 + 1/2.5·0.2
        assertThat(odd.lr(0.05, 2, 100)).isCloseTo(0.21, within(1e-15));    // 0.05 + 2/2.5·0.2
        assertThat(odd.lr(0.05, 3, 100)).isCloseTo(0.21, within(1e-15));    // 0.05 + (5-3)/2.5·0.2
        // the reference defaults: P 3000, max_lr 0.003 under lr0 0.1 -> a descending then rising ramp
        LrSchedule ref = LrSchedule.parse("triangle");
        assertThat(ref.lr(0.1, 750, 10_000)).isCloseTo(0.1 + 0.5 * (0.003 - 0.1), within(1e-15));
        assertThat(ref.lr(0.1, 1500, 10_000)).isCloseTo(0.003, within(1e-15));
        assertThat(ref.lr(0.1, 3000, 10_000)).isEqualTo(0.1);
    }

    @Test
    void exitDecayMultipliesTheLastFractionByACosineToZero() {
        double lr0 = 0.05;
        LrSchedule cos = LrSchedule.of(LrSchedule.Type.COS, 3000, 0.003, 0.5);
        // at t/T = 0.5 the decay has not started (strictly greater in the reference)
        assertThat(cos.lr(lr0, 50, 100)).isEqualTo(LrSchedule.COS.lr(lr0, 50, 100));
        // t/T = 0.75: cos part ½(1 + cos(3π/4)), decay ½(1 + cos(π·0.25/0.5)) = ½
        assertThat(cos.lr(lr0, 75, 100)).isCloseTo(lr0 * 0.5 * (1 - Math.sqrt(0.5)) * 0.5, within(1e-15));
        assertThat(cos.lr(lr0, 100, 100)).isEqualTo(0.0);
        LrSchedule constant = LrSchedule.of(LrSchedule.Type.CONSTANT, 3000, 0.003, 0.2);
        assertThat(constant.lr(lr0, 5, 10)).isEqualTo(lr0);
        assertThat(constant.lr(lr0, 9, 10)).isCloseTo(lr0 * 0.5, within(1e-15)); // ½(1 + cos(π·0.1/0.2))
        assertThat(constant.lr(lr0, 10, 10)).isCloseTo(0.0, within(1e-18));
        LrSchedule tri = LrSchedule.of(LrSchedule.Type.TRIANGLE, 4, 0.25, 0.5);
        assertThat(tri.lr(lr0, 6, 8)).isCloseTo(0.25 * 0.5, within(1e-15));  // peak u 2, decay ½(1 + cos(π/2))
        assertThat(tri.lr(lr0, 3, 8)).isCloseTo(0.15, within(1e-15));        // before the decay: plain triangle
    }

    @Test
    void keysRoundTripExactlySoCheckpointsRestoreTheSameSchedule() {
        assertThat(LrSchedule.COS.key()).isEqualTo("cos");
        assertThat(LrSchedule.CONSTANT.key()).isEqualTo("constant");
        for (LrSchedule s : new LrSchedule[] {LrSchedule.triangle(3000, 0.003), LrSchedule.triangle(7, 0.1 + 0.2),
                LrSchedule.of(LrSchedule.Type.COS, 1, 1, 0.1), LrSchedule.of(LrSchedule.Type.CONSTANT, 1, 1, 1.0 / 3)}) {
            assertThat(LrSchedule.parse(s.key())).isEqualTo(s);
        }
        assertThat(LrSchedule.of(LrSchedule.Type.COS, 123, 9.0, 0.0)).isSameAs(LrSchedule.COS);
        assertThatThrownBy(() -> LrSchedule.triangle(0, 0.1)).hasMessageContaining("optim.lr_schedule.period=0");
        assertThatThrownBy(() -> LrSchedule.of(LrSchedule.Type.COS, 1, 1, 1.5))
                .hasMessageContaining("optim.lr_schedule.exit_decay=1.5");
    }
}
