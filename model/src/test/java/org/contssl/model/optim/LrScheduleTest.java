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
        assertThat(LrSchedule.parse("cos")).isEqualTo(LrSchedule.COS);
        assertThat(LrSchedule.parse("constant")).isEqualTo(LrSchedule.CONSTANT);
        assertThatThrownBy(() -> LrSchedule.parse("triangle"))
                .hasMessageContaining("optim.lr_schedule=triangle")
                .hasMessageNotContaining("\n");
    }
}
