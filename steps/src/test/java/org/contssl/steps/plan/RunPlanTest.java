package org.contssl.steps.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.contssl.steps.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan} on the paper presets: with and without their lists, and the probe sets it counts. */
class RunPlanTest {

    @Test
    void aPaperPresetWithoutItsListPlansOnTheDeclaredLengthAndSaysSo() {
        RunPlan p = RunPlan.of(ConfigLoader.loadIncomplete("kinetics-minred-x5", List.of()), null, 0, 2);
        assertThat(p.streamRecords()).isEqualTo(15_360_000L);
        assertThat(p.streamSource()).contains("an estimate").contains("data.train_filelist is not set yet")
                .contains("sequential list");
        assertThat(p.missingKeys()).startsWith("data.train_filelist", "data.base_dir")
                .contains("lincls.imnet.train_filelist");
        // the two user probe sets replace the built-in ones; ood_probe is off: 2 sets x (1 checkpoint + 2 floors)
        assertThat(p.probePartitions()).isEqualTo(2 * 3);
        // the reference's step accounting: 300,000 steps of 256 from 15,360,000 records at R = 5
        assertThat(p.pretrain().totalSteps()).isEqualTo(300_000L);
    }

    @Test
    void aReadableKineticsListIsCountedAsVideosTimesItsClip(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("kinetics.txt");
        Files.writeString(list, "a/v1 250\na/v2 30\n\nb/v3 100\n");
        Path probe = dir.resolve("probe.txt");
        Files.writeString(probe, "x/1.jpg 0\nx/2.jpg 1\nx/3.jpg 1\n");
        List<String> keys = List.of("data.train_filelist=" + list, "data.base_dir=" + dir,
                "lincls.imnet.train_filelist=" + probe, "lincls.imnet.val_filelist=" + probe);
        RunPlan p = RunPlan.of(ConfigLoader.loadIncomplete("kinetics-conventional-5ep", keys), null, 0, 2);
        assertThat(p.streamRecords()).isEqualTo(3 * 64L);
        assertThat(p.streamSource()).contains(list.toString()).contains("sequential");
        RunPlan frames = RunPlan.of(ConfigLoader.loadIncomplete("kinetics-conventional-5ep",
                List.of("data.train_filelist=" + list, "data.n_seq_samples=0")), null, 0, 2);
        assertThat(frames.streamRecords()).isEqualTo(250 + 30 + 100L);
        assertThat(RunPlan.probeSets(ConfigLoader.loadIncomplete("kinetics-conventional-5ep", keys).config()))
                .extracting(RunPlan.ProbeLoad::key, RunPlan.ProbeLoad::trainRows, RunPlan.ProbeLoad::valRows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("imnet", 3L, 3L),
                        org.assertj.core.groups.Tuple.tuple("inat", 0L, 0L));
    }

    @Test
    void theDemoKeepsItsTwoBuiltInProbeSets() {
        RunPlan p = RunPlan.of(ConfigLoader.load(null, List.of()), null, 0, 2);
        assertThat(p.streamSource()).isEqualTo("data.num_files as declared");
        assertThat(p.pretrain().totalSteps()).isEqualTo(312L);
        assertThat(p.probePartitions()).isEqualTo(2 * (4 + 2));
    }
}
