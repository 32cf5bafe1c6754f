package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.contssl.jobs.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce} on a tiny grid (test resource reproduce/tiny.yaml: a pseudo-video stream, FIFO vs MinRed, one
 * seed): the report holds a verdict line and the distinct-clip counts (MinRed keeping more clips than FIFO), the
 * single seed is called too few for a test, and a second invocation skips the completed cells.
 */
class ReproduceCommandTest {

    @TempDir
    Path shared;

    @Test
    void tinyGridReportsVerdictAndClipsAndSkipsCompletedCells() throws Exception {
        Path tree = TestImageTree.create(shared.resolve("images"), 10, 24, 16, 11);
        Path spec = Path.of(getClass().getResource("/reproduce/tiny.yaml").toURI());
        Path root = shared.resolve("reproduce");
        List<String> args = new ArrayList<>(List.of("reproduce", "--spec", spec.toString(), "--budget", "tiny",
                "--root", root.toString()));
        for (String o : List.of("data.source=folder:" + tree, "data.insize=16", "data.channels=1",
                "data.probe_train_size=60", "data.probe_test_size=40", "data.ood_probe=false", "eval.progress=1.0",
                "logging.save_freq=0.5", "lincls.imnet.optim.epochs=5", "lincls.imnet.optim.batch_size=32",
                "environment.threads=1")) {
            args.add("--set");
            args.add(o);
        }

        CliRun first = CliRun.of(args.toArray(String[]::new));
        assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.OK);
        assertThat(first.out()).contains("2/2 cells COMPLETED").contains("- **not resolved** — (2) correlated");

        String md = Files.readString(root.resolve("reproduce/reproduce.md"));
        assertThat(md).contains("## Verdicts").contains("n too small for a test")
                .contains("distinct clips at 25/50/75/100 % of the inserts").contains("oldest-first evictions");
        JsonNode report = new ObjectMapper().readTree(root.resolve("reproduce/reproduce.json").toFile());
        long fifo = -1;
        long minred = -1;
        for (JsonNode cell : report.path("cells")) {
            JsonNode clips = cell.path("distinct_clips_at_quarters");
            assertThat(clips.size()).isEqualTo(4);
            long end = clips.get(3).asLong();
            if (cell.path("setting").asText().equals("fifo")) {
                fifo = end;
                assertThat(cell.path("oldest_first_evictions").asLong()).isZero();
            } else {
                minred = end;
            }
        }
        // a 64-entry buffer over 16-frame clips: FIFO holds the last 4-5 clips, MinRed spreads over more
        assertThat(fifo).isBetween(4L, 5L);
        assertThat(minred).isGreaterThan(fifo);
        assertThat(report.path("verdicts").get(0).path("verdict").asText()).isEqualTo("not resolved");

        Path done = root.resolve("cells/correlated.minred_environment.seed-0/checkpoints/checkpoint_final/manifest.json");
        FileTime before = Files.getLastModifiedTime(done);
        CliRun second = CliRun.of(args.toArray(String[]::new));
        assertThat(second.code()).as(second.err()).isEqualTo(ExitCodes.OK);
        assertThat(second.out()).contains("2/2 cells COMPLETED");
        assertThat(Files.getLastModifiedTime(done)).isEqualTo(before);
    }
}
