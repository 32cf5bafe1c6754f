package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.contssl.jobs.status.ExecutionHistory;
import org.contssl.lists.MemmapList;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.lists.stream.StreamPlanner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end through the real CLI: H2 file database, Chronicle Map buffer, DJL training,
 * real PNG files. Failures and crashes are real too: a corrupted probe image, a SIGKILL of the JVM.
 */
class PipelineCliTest {

    static final List<String> CHILD_JOBS = List.of("lists", "subsample", "pretrain", "probe", "report");
    @TempDir
    static Path shared;
    static Path tree;

    @BeforeAll
    static void images() throws Exception {
        tree = TestImageTree.create(shared.resolve("images"), 10, 40, 16, 7);
    }

    @Test
    void pipelineCompletesAndReportsOnASmallImageTree(@TempDir Path workdir) throws Exception {
        int code = Main.execute(PipelineFixture.args("run", workdir, PipelineFixture.overrides(tree)));
        assertThat(code).isEqualTo(ExitCodes.OK);

        ExecutionHistory history = PipelineFixture.history(workdir);
        for (String job : CHILD_JOBS) {
            assertThat(history.of(job)).as(job).hasSize(1);
            assertThat(history.of(job).get(0).status()).as(job).isEqualTo("COMPLETED");
        }
        assertThat(history.of("pipeline").get(0).status()).isEqualTo("COMPLETED");
        ExecutionHistory.Step stream = history.of("pretrain").get(0).steps().stream()
                .filter(s -> s.name().equals("stream")).findFirst().orElseThrow();
        assertThat(stream.readCount()).isEqualTo(288); // 300 stream images, tail of 12 dropped (batch 32)

        JsonNode results = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
        assertThat(results.get("final_params_sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(Files.readString(workdir.resolve("reports/report.md"))).contains("raw pixels", "random-init");
        assertThat(workdir.resolve("reports/report.html")).isNotEmptyFile();
        assertThat(workdir.resolve("metrics.csv")).isNotEmptyFile();

        // the same experiment again is already complete; another experiment in the same workdir is refused
        assertThat(Main.execute(PipelineFixture.args("run", workdir, PipelineFixture.overrides(tree))))
                .isEqualTo(ExitCodes.ALREADY_COMPLETE);
        assertThat(Main.execute(PipelineFixture.args("run", workdir,
                PipelineFixture.overrides(tree, "optim.lr=0.01")))).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void corruptProbeDataFailsTheRunAndRestartRerunsOnlyProbeAndReport(@TempDir Path workdir) throws Exception {
        String[] args = PipelineFixture.args("run", workdir, PipelineFixture.overrides(tree));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(args));

        // once pretraining has written a checkpoint (the lists job, which now checks every probe image, is over),
        // corrupt one probe test image: only the probe step can meet it
        Path plan = workdir.resolve("lists").resolve(StreamPlanner.PLAN_FILE);
        Path checkpoints = workdir.resolve("checkpoints");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!(Files.exists(plan) && Files.isDirectory(checkpoints)) && System.nanoTime() < deadline && !run.isDone()) {
            Thread.sleep(20);
        }
        StreamPlan streamPlan = StreamPlanner.readPlan(plan.getParent());
        ProbeSet probe = streamPlan.probes().values().iterator().next();
        Path victim;
        try (MemmapList test = MemmapList.open(probe.testList())) {
            victim = test.resolve(0);
        }
        byte[] original = Files.readAllBytes(victim);
        Files.write(victim, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});

        assertThat(run.get(5, TimeUnit.MINUTES)).isEqualTo(ExitCodes.JOB_FAILED);
        ExecutionHistory failed = PipelineFixture.history(workdir);
        assertThat(failed.of("pipeline").get(0).status()).isEqualTo("FAILED");
        assertThat(failed.of("pipeline").get(0).reason()).contains("probe").contains(victim.getFileName().toString());

        Files.write(victim, original);
        assertThat(Main.execute("restart", "--workdir", workdir.toString())).isEqualTo(ExitCodes.OK);

        ExecutionHistory history = PipelineFixture.history(workdir);
        assertThat(history.of("pipeline")).extracting(ExecutionHistory.Job::status).containsExactly("FAILED", "COMPLETED");
        assertThat(history.of("lists")).hasSize(1);
        assertThat(history.of("subsample")).hasSize(1);
        assertThat(history.of("pretrain")).as("pretrain ran once").hasSize(1);
        assertThat(history.of("probe")).extracting(ExecutionHistory.Job::status).containsExactly("FAILED", "COMPLETED");
        assertThat(history.of("report")).extracting(ExecutionHistory.Job::status).containsExactly("COMPLETED");
    }

    @Test
    void killDashNineDuringPretrainThenRestartCompletes(@TempDir Path workdir) throws Exception {
        // long enough to be caught mid-way: 28 px views, R = 4
        List<String> overrides = PipelineFixture.overrides(tree, "data.insize=28", "model.num_updates=4",
                "logging.save_freq=0.05");
        Process run = PipelineFixture.startChild(workdir.resolveSibling(workdir.getFileName() + "-run.log"),
                PipelineFixture.args("run", workdir, overrides));
        Path firstCheckpoint = workdir.resolve("checkpoints").resolve("checkpoint_0.1000");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!Files.exists(firstCheckpoint) && run.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(run.isAlive()).as("still training when the first checkpoints appear").isTrue();
        run.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, the H2 execution stays STARTED
        run.waitFor();

        ExecutionHistory crashed = PipelineFixture.history(workdir);
        assertThat(crashed.of("pretrain").get(0).status()).isEqualTo("STARTED");

        Path restartLog = workdir.resolveSibling(workdir.getFileName() + "-restart.log");
        Process restart = PipelineFixture.startChild(restartLog, "restart", "--workdir", workdir.toString());
        PipelineFixture.awaitSuccess(restart, restartLog, 300);

        ExecutionHistory history = PipelineFixture.history(workdir);
        assertThat(history.of("pipeline")).extracting(ExecutionHistory.Job::status).containsExactly("FAILED", "COMPLETED");
        assertThat(history.of("pretrain")).extracting(ExecutionHistory.Job::status).containsExactly("FAILED", "COMPLETED");
        assertThat(history.of("lists")).hasSize(1);
        assertThat(workdir.resolve("checkpoints/checkpoint_final")).isDirectory();
    }
}
