package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.contssl.jobs.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short chaos campaign (the test-suite version of scripts/chaos.sh, docs/failures.md): three runs of a small
 * pipeline, each hit by SIGKILL or SIGTERM at a random moment of the whole pipeline and restarted until complete,
 * end with the uninterrupted run's final parameters, checkpoints (step, images seen, parameters — no record lost
 * or trained twice), skipped-image count and probe accuracies.
 */
class ChaosTest {

    private static final int TRIALS = 3;

    @Test
    void randomKillsAndStopsEndIdentical(@TempDir Path root) throws Exception {
        Path tree = TestImageTree.create(root.resolve("images"), 10, 40, 16, 11);
        List<String> o = PipelineFixture.overrides(tree, "model.buffer_type=minred", "model.num_updates=4");
        Path reference = root.resolve("uninterrupted");
        long t0 = System.nanoTime();
        Process once = PipelineFixture.startChild(root.resolve("uninterrupted.log"),
                PipelineFixture.args("run", reference, o));
        PipelineFixture.awaitSuccess(once, root.resolve("uninterrupted.log"), 600);
        long durationMillis = (System.nanoTime() - t0) / 1_000_000;
        List<String> expected = facts(reference);

        Random random = new Random(20261202);
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            boolean kill = random.nextBoolean();
            long delay = (long) (random.nextDouble() * durationMillis);
            Path wd = root.resolve("trial" + i);
            Path log = root.resolve("trial" + i + ".log");
            Process p = PipelineFixture.startChild(log, PipelineFixture.args("run", wd, o));
            Thread.sleep(delay);
            if (kill) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
            int code = PipelineFixture.await(p, 300);
            int rc = -1;
            for (int attempt = 0; attempt < 5 && rc != ExitCodes.OK && rc != ExitCodes.ALREADY_COMPLETE; attempt++) {
                Path restartLog = root.resolve("trial" + i + "-restart" + attempt + ".log");
                rc = PipelineFixture.await(PipelineFixture.startChild(restartLog, "restart", "--workdir",
                        wd.toString()), 600);
                if (rc == ExitCodes.USAGE) {
                    // killed before the pipeline was recorded: nothing to restart, the run is started again
                    rc = PipelineFixture.await(PipelineFixture.startChild(restartLog, PipelineFixture.args("run", wd,
                            o)), 600);
                }
            }
            String what = (kill ? "SIGKILL" : "SIGTERM") + " at " + delay + " ms (exit " + code + ")";
            assertThat(rc).as(what + ": restart").isIn(ExitCodes.OK, ExitCodes.ALREADY_COMPLETE);
            assertThat(facts(wd)).as(what).isEqualTo(expected);
            if (!kill && code != ExitCodes.OK) {
                assertThat(code).as(what + ": a SIGTERM ends with the stopped code").isEqualTo(ExitCodes.STOPPED);
            }
            outcomes.add(what);
        }
        assertThat(outcomes).hasSize(TRIALS);
    }

    /** What a finished workdir must agree on, one line per fact (results.json of the report). */
    private static List<String> facts(Path workdir) throws IOException {
        JsonNode r = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
        List<String> out = new ArrayList<>();
        out.add("final " + r.get("final_params_sha256").asText());
        for (JsonNode c : r.get("checkpoints")) {
            out.add("checkpoint " + c.get("name").asText() + " " + c.get("step").asLong() + " "
                    + c.get("images_seen").asLong() + " " + c.get("sha256").asText());
        }
        out.add("skipped " + r.path("skipped_images_total").asLong());
        for (JsonNode p : r.get("probes")) {
            out.add("probe " + p.get("encoder").asText() + " " + p.path("checkpoint").asText() + " "
                    + p.get("dataset").asText() + " " + p.get("method").asText() + " " + p.get("top1").asDouble()
                    + " " + p.get("top5").asDouble());
        }
        return out;
    }
}
