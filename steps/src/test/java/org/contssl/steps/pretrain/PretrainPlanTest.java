package org.contssl.steps.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PretrainPlanTest {

    @Test
    void section6FifoPerRankMatchesTheReferenceTable() {
        // docs/reference-system.md §7.3: per rank T/W = 797,312, b = 64, S = 16,384, R = 4 -> 48,812 + 1,020 = 49,832
        PretrainPlan plan = PretrainPlan.of(797_312, 64, 4, 16_384, true, 1);
        assertThat(plan.fillChunks()).isEqualTo(255);
        assertThat(plan.streamSteps()).isEqualTo(48_812);
        assertThat(plan.drainSteps()).isEqualTo(1_020);
        assertThat(plan.totalSteps()).isEqualTo(49_832);
    }

    @Test
    void flickrTimesTenMatchesTheReferenceTable() {
        // docs/reference-system.md §7.3, Flickr x10 per rank: 5,000,000 stream, b 64, S 16,384, R 10
        //   -> 778,700 + 2,550 = 781,250
        PretrainPlan plan = PretrainPlan.of(5_000_000, 64, 10, 16_384, true, 1);
        assertThat(plan.streamSteps()).isEqualTo(778_700);
        assertThat(plan.drainSteps()).isEqualTo(2_550);
        assertThat(plan.totalSteps()).isEqualTo(781_250);
    }

    @Test
    void scaledDownSection6DropsTheTailAndKeepsComputeMatched() {
        // the demo: 20,000 records, B 256, S 2,048, R 4
        PretrainPlan plan = PretrainPlan.of(20_000, 256, 4, 2_048, true, 1);
        assertThat(plan.keptLength()).isEqualTo(19_968);
        assertThat(plan.droppedTail()).isEqualTo(32);
        assertThat(plan.fillChunks()).isEqualTo(7);
        assertThat(plan.totalSteps()).isEqualTo(312);
        assertThat(plan.streamSteps() + plan.drainSteps()).isEqualTo(plan.totalSteps());
        assertThat(plan.drainSteps()).isEqualTo(28);
        // compute-matched to R epochs without a buffer
        assertThat(plan.totalSteps()).isEqualTo(PretrainPlan.of(20_000, 256, 1, 0, false, 4).totalSteps());
    }

    @Test
    void conventionalEpochsCountOneStepPerChunk() {
        // docs/reference-system.md §3.5, Sec. 6 conventional per rank: 3,189,312 records of b 64 -> 49,833 steps;
        //   with subsample 4 -> 12,458
        assertThat(PretrainPlan.of(3_189_346, 64, 4, 0, false, 1).totalSteps()).isEqualTo(49_833);
        assertThat(PretrainPlan.of(797_312, 64, 4, 0, false, 1).totalSteps()).isEqualTo(12_458);
        assertThat(PretrainPlan.of(1000, 100, 4, 0, false, 3).totalSteps()).isEqualTo(30);
    }

    @Test
    void bufferLargerThanTheStreamIsRejected() {
        assertThatThrownBy(() -> PretrainPlan.of(1_000, 256, 4, 2_048, true, 1))
                .hasMessageContaining("larger than the stream");
    }

    @Test
    void saveScheduleNamesNominalProgressAndFinal() {
        SaveSchedule schedule = new SaveSchedule(312, 0.25);
        assertThat(schedule.dueAfter(77)).isEmpty();
        assertThat(schedule.dueAfter(78)).contains("checkpoint_0.2500");
        assertThat(schedule.dueAfter(79)).isEmpty();
        assertThat(schedule.dueAfter(156)).contains("checkpoint_0.5000");
        assertThat(schedule.dueAfter(234)).contains("checkpoint_0.7500");
        assertThat(schedule.dueAfter(312)).contains(SaveSchedule.FINAL);
        long count = java.util.stream.LongStream.rangeClosed(1, 1000)
                .filter(s -> new SaveSchedule(1000, 0.05).dueAfter(s).isPresent()).count();
        assertThat(count).isEqualTo(20);
    }

    @Test
    void seedsDependOnEveryComponent() {
        long a = Seeds.derive(0, Seeds.Purpose.AUGMENT_VIEW1, 5, 7);
        assertThat(Seeds.derive(0, Seeds.Purpose.AUGMENT_VIEW1, 5, 7)).isEqualTo(a);
        assertThat(Seeds.derive(1, Seeds.Purpose.AUGMENT_VIEW1, 5, 7)).isNotEqualTo(a);
        assertThat(Seeds.derive(0, Seeds.Purpose.AUGMENT_VIEW2, 5, 7)).isNotEqualTo(a);
        assertThat(Seeds.derive(0, Seeds.Purpose.AUGMENT_VIEW1, 7, 5)).isNotEqualTo(a);
    }
}
