package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.status.ExecutionHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful stop (docs/failures.md): SIGTERM during pretraining ends the process with the stopped exit code after a
 * checkpoint newer than the last periodic one, with the pipeline and its pretrain job STOPPED in the repository; a
 * second SIGTERM meanwhile is ignored; a SIGTERM during the probes stops there too; the restarts end with the final
 * parameters and probe accuracies of an uninterrupted run, and no stop checkpoint is left behind.
 */
class GracefulStopTest {

    @TempDir
    static Path shared;
    static Path tree;

    @BeforeAll
    static void images() throws Exception {
        tree = TestImageTree.create(shared.resolve("images"), 10, 40, 16, 11);
    }

    private static List<String> overrides() {
        return PipelineFixture.overrides(tree, "model.buffer_type=minred", "model.num_updates=4",
                "logging.save_freq=0.25", "eval.progress=0.5,1.0");
    }

    @Test
    void sigtermStopsAtACheckpointAndRestartEndsIdentical(@TempDir Path root) throws Exception {
        Path reference = root.resolve("uninterrupted");
        Process once = PipelineFixture.startChild(root.resolve("uninterrupted.log"),
                PipelineFixture.args("run", reference, overrides()));
        PipelineFixture.awaitSuccess(once, root.resolve("uninterrupted.log"), 600);

        Path workdir = root.resolve("stopped");
        Path log1 = root.resolve("stop1.log");
        Process run = PipelineFixture.startChild(log1, PipelineFixture.args("run", workdir, overrides()));
        assertThat(sigtermWhen(run, wd -> Files.exists(wd.resolve("checkpoints/checkpoint_0.2500")), workdir, true))
                .as("SIGTERM reached pretraining; log:\n" + Files.readString(log1)).isTrue();
        assertThat(PipelineFixture.await(run, 120)).as(Files.readString(log1)).isEqualTo(ExitCodes.STOPPED);
        assertThat(Files.readString(log1)).contains("SIGTERM received").contains("pipeline STOPPED on request");
        ExecutionHistory history = PipelineFixture.history(workdir);
        assertThat(history.of("pipeline").get(0).status()).isEqualTo("STOPPED");
        assertThat(history.of("pretrain").get(0).status()).isEqualTo("STOPPED");
        assertThat(history.of("probe")).isEmpty();
        Path stop = workdir.resolve("checkpoints/checkpoint_stop/manifest.json");
        assertThat(stop).exists();
        assertThat(step(stop)).isGreaterThan(step(workdir.resolve("checkpoints/checkpoint_0.2500/manifest.json")));

        // the second stop falls into the probe job: the partitions in flight finish, the others run on restart
        Path log2 = root.resolve("stop2.log");
        Process restart = PipelineFixture.startChild(log2, "restart", "--workdir", workdir.toString());
        assertThat(sigtermWhen(restart, GracefulStopTest::probing, workdir, false))
                .as("SIGTERM reached the probes; log:\n" + Files.readString(log2)).isTrue();
        assertThat(PipelineFixture.await(restart, 300)).as(Files.readString(log2)).isEqualTo(ExitCodes.STOPPED);
        assertThat(PipelineFixture.history(workdir).of("probe").get(0).status()).isEqualTo("STOPPED");

        Process last = PipelineFixture.startChild(root.resolve("final.log"), "restart", "--workdir", workdir.toString());
        PipelineFixture.awaitSuccess(last, root.resolve("final.log"), 600);
        assertThat(CrashFixture.finalParamsSha(workdir)).isEqualTo(CrashFixture.finalParamsSha(reference));
        assertThat(workdir.resolve("checkpoints/checkpoint_stop")).doesNotExist();
        assertThat(probeAccuracies(workdir)).isEqualTo(probeAccuracies(reference));
        assertThat(PipelineFixture.history(workdir).of("pipeline").get(2).status()).isEqualTo("COMPLETED");
    }

    /** Waits for the moment, then sends SIGTERM (twice if asked); false if the process ended first. */
    private static boolean sigtermWhen(Process p, Predicate<Path> reached, Path workdir, boolean twice)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (reached.test(workdir)) {
                p.destroy(); // SIGTERM
                if (twice) {
                    Thread.sleep(20);
                    p.destroy();
                }
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    private static boolean probing(Path workdir) {
        Path dir = workdir.resolve("probes");
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static long step(Path manifest) throws IOException {
        return new ObjectMapper().readTree(manifest.toFile()).get("metadata").get("step").asLong();
    }

    /** Every probe result's accuracies, by file name, from the workdir's probes directory. */
    static String probeAccuracies(Path workdir) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> s = Files.list(workdir.resolve("probes")).sorted()) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode n = new ObjectMapper().readTree(f.toFile());
                out.append(f.getFileName()).append(' ');
                n.findValues("top1").forEach(v -> out.append(v.asText()).append(' '));
                n.findValues("top5").forEach(v -> out.append(v.asText()).append(' '));
                out.append('\n');
            }
        }
        return out.toString();
    }
}
