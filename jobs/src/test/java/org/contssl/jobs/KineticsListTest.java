package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.contssl.lists.MemmapList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real camera sequences as a Kinetics frame-directory list ({@code data.type=sequential}): eight short videos of
 * {@code visp-images-data} frames re-encoded as {@code NNN.jpeg}, streamed as clips of consecutive frames with FIFO
 * and MinRed, and as the decorrelated baseline {@code none_noseq}. Random frame sampling is run (and killed) in
 * {@link KineticsCrashResumeTest}.
 */
class KineticsListTest {

    @TempDir
    static Path base;
    static Path list;

    @BeforeAll
    static void frames() throws Exception {
        list = OwnDataFixture.kineticsList(base);
    }

    @ParameterizedTest
    @CsvSource({"fifo", "minred", "none_noseq"})
    void consecutiveClipsOfRealFramesTrain(String buffer, @TempDir Path root) throws Exception {
        Path workdir = root.resolve("run");
        int code = Main.execute(PipelineFixture.args("run", workdir, OwnDataFixture.overrides(list, base,
                "sequential", "data.n_seq_samples=8", "data.seq_sampling=consecutive",
                "model.buffer_type=" + buffer)));
        assertThat(code).isEqualTo(ExitCodes.OK);
        JsonNode results = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
        assertThat(results.get("skipped_images_total").asLong()).isZero();
        assertThat(results.get("final_params_sha256").asText()).hasSize(64);
        try (MemmapList stream = MemmapList.open(workdir.resolve("lists/stream.memmap"))) {
            assertThat(stream.size()).isEqualTo(8 * 8);
            String first = stream.recordAt(0);
            assertThat(first).matches("videos/v0[0-7]/0[0-9][0-9]\\.jpeg");
            assertThat(Files.isRegularFile(stream.resolve(0))).isTrue();
            if (!buffer.equals("none_noseq")) {
                // a clip: eight consecutive frames of one video
                int video = first.charAt(9);
                int frame = Integer.parseInt(first.substring(11, 14));
                for (int k = 1; k < 8; k++) {
                    String r = stream.recordAt(k);
                    assertThat((int) r.charAt(9)).isEqualTo(video);
                    assertThat(Integer.parseInt(r.substring(11, 14))).isIn(frame + k, frame + k - 1);
                }
            } else {
                long sameVideoNeighbours = 0;
                for (long i = 1; i < stream.size(); i++) {
                    sameVideoNeighbours += stream.recordAt(i).charAt(9) == stream.recordAt(i - 1).charAt(9) ? 1 : 0;
                }
                assertThat(sameVideoNeighbours).as("frames shuffled one by one").isLessThan(30);
            }
        }
        List<String> metrics = Files.readAllLines(workdir.resolve("metrics.csv"));
        assertThat(metrics.size()).isGreaterThan(2);
    }
}
