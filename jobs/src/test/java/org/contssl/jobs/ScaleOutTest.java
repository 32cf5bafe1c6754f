package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.contssl.tools.bench.scaleout.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out with the real parts: a PostgreSQL 15 server in a temporary directory, this JVM as the manager and two
 * worker JVMs; one worker is killed with SIGKILL in the middle of a partition. Results must equal a single-process
 * run on H2.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {

    @TempDir
    static Path shared;
    private static Path tree;
    private static PostgresServer postgres;
    private static Path reference;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(PostgresServer.available(), "PostgreSQL 15 is not installed (" + PostgresServer.INSTALL + ")");
        tree = TestImageTree.create(shared.resolve("images"), 10, 24, 16, 11);
        postgres = PostgresServer.start(shared);
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static List<String> overrides(String policy, int seed) {
        return PipelineFixture.overrides(tree, "model.buffer_type=" + policy, "environment.seed=" + seed,
                "eval.progress=1.0");
    }

    /** fifo, seed 0, alone in this JVM on the workdir's H2 file: what every distributed run must reproduce. */
    private static Path reference() {
        if (reference == null) {
            Path dir = shared.resolve("h2-reference");
            assertThat(Main.execute(PipelineFixture.args("run", dir, overrides("fifo", 0)))).isEqualTo(ExitCodes.OK);
            reference = dir;
        }
        return reference;
    }

    @Test
    @Order(1)
    void probePartitionsRunOnWorkersAndAKilledWorkersPartitionRunsAgain() throws Exception {
        Path expected = reference();
        List<Process> workers = startWorkers("a", 2);
        try {
            Path workdir = shared.resolve("pg-run");
            List<String> args = new ArrayList<>(List.of("run", "--db", postgres.url(), "--workdir",
                    workdir.toString()));
            args.addAll(overrides("fifo", 0));
            CompletableFuture<Integer> manager = CompletableFuture.supplyAsync(
                    () -> Main.execute(args.toArray(String[]::new)));
            // SIGKILL the first worker as soon as it starts a probe partition
            Path log = shared.resolve("worker-a0.log");
            boolean killed = false;
            while (!manager.isDone() && !killed) {
                if (Files.readString(log).contains("running probePartition")) {
                    workers.get(0).destroyForcibly().waitFor();
                    killed = true;
                }
                Thread.sleep(20);
            }
            assertThat(manager.get(10, TimeUnit.MINUTES)).isEqualTo(ExitCodes.OK);
            assertThat(killed).as("worker a0 took a probe partition").isTrue();
            assertThat(Files.readString(shared.resolve("worker-a1.log"))).contains("running probePartition");
            assertSameResults(workdir, expected);
            assertThat(postgres.psql("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE"
                    + " 'probePartition:%' AND STATUS <> 'COMPLETED'")).containsExactly("0");
            // status of the workdir reads the shared repository (there is no H2 file in the workdir)
            JsonNode status = new ObjectMapper().readTree(capture("status", "--db", postgres.url(), "--workdir",
                    workdir.toString(), "--json"));
            List<String> jobs = new ArrayList<>();
            status.get("jobs").forEach(j -> jobs.add(j.get("name").asText() + " " + j.get("status").asText()));
            assertThat(jobs).contains("pipeline COMPLETED", "pretrain COMPLETED", "probe COMPLETED")
                    .allMatch(j -> j.endsWith(" COMPLETED"));
            assertThat(status.toString()).contains("probePartition:");
            assertThat(Main.execute("status", "--db", postgres.url(), "--workdir",
                    shared.resolve("never-ran").toString())).isEqualTo(ExitCodes.BAD_INPUT);
        } finally {
            stopAll(workers);
        }
    }

    @Test
    @Order(2)
    void sweepOnTwoWorkersSurvivesAKilledWorkerAndComparesSeeds() throws Exception {
        Path expected = reference();
        List<Process> workers = startWorkers("b", 2);
        Path root = shared.resolve("sweep");
        try {
            List<String> args = new ArrayList<>(List.of("sweep", "--db", postgres.url(), "--root", root.toString()));
            for (String o : PipelineFixture.overrides(tree, "eval.progress=1.0")) {
                args.add("--set");
                args.add(o);
            }
            args.addAll(List.of("model.buffer_type=fifo,minred", "environment.seed=0,1"));
            CompletableFuture<Integer> manager = CompletableFuture.supplyAsync(
                    () -> Main.execute(args.toArray(String[]::new)));
            Path log = shared.resolve("worker-b1.log");
            boolean killed = false;
            while (!manager.isDone() && !killed) {
                if (Files.readString(log).contains("running sweepCell")) {
                    Thread.sleep(3000); // inside the cell's pipeline
                    workers.get(1).destroyForcibly().waitFor();
                    killed = true;
                }
                Thread.sleep(20);
            }
            assertThat(manager.get(20, TimeUnit.MINUTES)).isEqualTo(ExitCodes.OK);
            assertThat(killed).isTrue();
        } finally {
            stopAll(workers);
        }
        Path fifo0 = root.resolve("cells/model.buffer_type-fifo_environment.seed-0");
        assertSameResults(fifo0, expected);
        String summary = Files.readString(root.resolve("compare/sweep.md"));
        assertThat(summary).contains("model.buffer_type=fifo").contains("model.buffer_type=minred").contains("±")
                .contains("4 of 4 cells completed");
        assertThat(root.resolve("compare/compare.md")).isNotEmptyFile();

        JsonNode status = new ObjectMapper().readTree(capture("status", "--db", postgres.url(), "--json"));
        List<String> completedCells = new ArrayList<>();
        status.get("experiments").forEach(e -> {
            if (e.get("job").asText().equals("pipeline") && e.get("workdir").asText().startsWith(root.toString())
                    && e.get("state").asText().equals("COMPLETED")) {
                completedCells.add(e.get("cell").asText());
            }
        });
        assertThat(completedCells).hasSize(4);
        assertThat(postgres.psql("SELECT COUNT(DISTINCT p.PARAMETER_VALUE) FROM BATCH_JOB_EXECUTION e JOIN"
                + " BATCH_JOB_INSTANCE i USING (JOB_INSTANCE_ID) JOIN BATCH_JOB_EXECUTION_PARAMS p USING"
                + " (JOB_EXECUTION_ID) WHERE i.JOB_NAME = 'pipeline' AND e.STATUS = 'COMPLETED' AND"
                + " p.PARAMETER_NAME = 'workdir' AND p.PARAMETER_VALUE LIKE '" + root + "/cells/%'"))
                .containsExactly("4");
        // a second sweep over the same root has nothing left to do
        assertThat(Main.execute("sweep", "--db", postgres.url(), "--root", root.toString())).isEqualTo(ExitCodes.OK);
        // and so has `restart` of its root, which hands off to the sweep's resume
        assertThat(Main.execute("restart", "--db", postgres.url(), "--workdir", root.toString()))
                .isEqualTo(ExitCodes.OK);
    }

    private static void assertSameResults(Path actual, Path expected) throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(actual.resolve("checkpoints/checkpoint_final/manifest.json").toFile())
                .get("metadata").get("params_sha256"))
                .isEqualTo(json.readTree(expected.resolve("checkpoints/checkpoint_final/manifest.json").toFile())
                        .get("metadata").get("params_sha256"));
        assertThat(probes(actual)).isNotEmpty().isEqualTo(probes(expected));
    }

    /** Probe results without their wall-clock times, the one field that may differ between machines. */
    private static List<JsonNode> probes(Path workdir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile()).get("probes").forEach(p -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove(List.of("wall_seconds", "wallSeconds"));
            out.add(p);
        });
        return out;
    }

    private static List<Process> startWorkers(String name, int n) throws Exception {
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            workers.add(PipelineFixture.startChild(shared.resolve("worker-" + name + i + ".log"), "worker", "--db",
                    postgres.url()));
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            long live = workers.stream().filter(w -> {
                try {
                    return Files.readString(shared.resolve("worker-" + name + workers.indexOf(w) + ".log"))
                            .contains("running (");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
            if (live == n) {
                return workers;
            }
            Thread.sleep(200);
        }
        stopAll(workers);
        throw new AssertionError("workers did not start; see " + shared);
    }

    private static void stopAll(List<Process> workers) throws Exception {
        for (Process w : workers) {
            w.destroy();
        }
        for (Process w : workers) {
            if (!w.waitFor(60, TimeUnit.SECONDS)) {
                w.destroyForcibly();
            }
        }
        // the temporary directory goes away with the test: keep the workers' logs for a failure's diagnosis
        Path keep = Files.createDirectories(Path.of("target", "scaleout-logs"));
        try (var logs = Files.newDirectoryStream(shared, "worker-*.log")) {
            for (Path log : logs) {
                Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static String capture(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true));
        try {
            assertThat(Main.execute(args)).isEqualTo(ExitCodes.OK);
        } finally {
            System.setOut(out);
        }
        return buffer.toString();
    }
}
