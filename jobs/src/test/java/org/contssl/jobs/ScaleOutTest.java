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
    private static final java.util.Map<String, Path> REFERENCES = new java.util.HashMap<>();

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
        return reference("fifo", 0);
    }

    /** The cell (policy, seed) run alone in this JVM on its workdir's H2 file. */
    private static Path reference(String policy, int seed) {
        return REFERENCES.computeIfAbsent(policy + "-" + seed, k -> {
            Path dir = shared.resolve("h2-reference-" + k);
            assertThat(Main.execute(PipelineFixture.args("run", dir, overrides(policy, seed)))).isEqualTo(ExitCodes.OK);
            return dir;
        });
    }

    /** Every cell of a sweep root has the results of the same cell run alone on H2. */
    private static void assertCellsEqualAlone(Path root, List<String> policies, List<Integer> seeds) throws Exception {
        int cells = 0;
        for (String policy : policies) {
            for (int seed : seeds) {
                String name = (policies.size() > 1 ? "model.buffer_type-" + policy + "_" : "")
                        + "environment.seed-" + seed;
                Path cell = root.resolve("cells").resolve(name);
                assertThat(cell).as(name).isDirectory();
                assertSameResults(cell, reference(policy, seed));
                cells++;
            }
        }
        try (var dirs = Files.list(root.resolve("cells"))) {
            assertThat(dirs.count()).isEqualTo(cells);
        }
    }

    /** Pipeline executions per cell workdir of a sweep root, from the shared repository. */
    private static java.util.Map<String, List<String>> pipelineExecutions(Path root) throws Exception {
        java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
        for (String row : postgres.psql("SELECT p.PARAMETER_VALUE, e.STATUS FROM BATCH_JOB_EXECUTION e JOIN"
                + " BATCH_JOB_INSTANCE i USING (JOB_INSTANCE_ID) JOIN BATCH_JOB_EXECUTION_PARAMS p USING"
                + " (JOB_EXECUTION_ID) WHERE i.JOB_NAME = 'pipeline' AND p.PARAMETER_NAME = 'workdir' AND"
                + " p.PARAMETER_VALUE LIKE '" + root + "/cells/%' ORDER BY e.JOB_EXECUTION_ID")) {
            String[] f = row.split("\t");
            out.computeIfAbsent(Path.of(f[0]).getFileName().toString(), k -> new ArrayList<>()).add(f[1]);
        }
        return out;
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
        // every cell, not only the one above: each equals the same cell run alone on H2
        assertCellsEqualAlone(root, List.of("fifo", "minred"), List.of(0, 1));
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

    @Test
    @Order(3)
    void aSweepManagerKilledMidSweepResumesOnRestartSkippingCompletedCells() throws Exception {
        Path root = shared.resolve("sweep-killed");
        List<String> args = new ArrayList<>(List.of("sweep", "--db", postgres.url(), "--root", root.toString()));
        for (String o : PipelineFixture.overrides(tree, "eval.progress=1.0", "model.buffer_type=fifo")) {
            args.add("--set");
            args.add(o);
        }
        args.add("environment.seed=0,1");
        // no worker: the manager runs the cells one after another; SIGKILL it inside the second cell's pretraining
        Process manager = PipelineFixture.startChild(shared.resolve("sweep-manager.log"), args.toArray(String[]::new));
        boolean killed = CrashFixture.killWhen(manager, root, r -> finishedCells(r) == 1
                && anyCellHas(r, "checkpoints/checkpoint_0.5000"));
        assertThat(killed).as("killed inside the second cell; see sweep-manager.log").isTrue();
        java.util.Map<String, List<String>> before = pipelineExecutions(root);
        List<String> completedBefore = before.entrySet().stream()
                .filter(e -> e.getValue().contains("COMPLETED")).map(java.util.Map.Entry::getKey).toList();
        assertThat(completedBefore).hasSize(1);

        assertThat(Main.execute("restart", "--db", postgres.url(), "--workdir", root.toString()))
                .isEqualTo(ExitCodes.OK);

        java.util.Map<String, List<String>> after = pipelineExecutions(root);
        assertThat(after).hasSize(2);
        // the cell that had completed was skipped: still its one execution; the other ends COMPLETED
        assertThat(after.get(completedBefore.get(0))).containsExactly("COMPLETED");
        after.values().forEach(e -> assertThat(e.get(e.size() - 1)).isEqualTo("COMPLETED"));
        assertThat(Files.readString(root.resolve("compare/sweep.md"))).contains("2 of 2 cells completed");
        assertCellsEqualAlone(root, List.of("fifo"), List.of(0, 1));
    }

    /**
     * PostgreSQL restarted (pg_ctl restart -m fast) while a worker runs a sweep cell. The contract
     * (docs/scaling-out.md, "Failures"): the sweep completes, or ends with one line and exit 3 and `restart` completes
     * it; either way the cell's results equal the same cell run alone on H2.
     */
    @Test
    @Order(4)
    void aPostgresqlRestartUnderARunningSweepEndsInOneLineOrCompletesAndRestartRecovers() throws Exception {
        Path expected = reference();
        Path root = shared.resolve("sweep-pg-restart");
        List<Process> workers = startWorkers("c", 1);
        try {
            List<String> args = new ArrayList<>(List.of("sweep", "--db", postgres.url(), "--root", root.toString()));
            for (String o : PipelineFixture.overrides(tree, "eval.progress=1.0", "model.buffer_type=fifo")) {
                args.add("--set");
                args.add(o);
            }
            args.add("environment.seed=0");
            CompletableFuture<CliRun> manager = CompletableFuture.supplyAsync(
                    () -> CliRun.of(args.toArray(String[]::new)));
            Path cell = root.resolve("cells/environment.seed-0");
            while (!manager.isDone() && !Files.isDirectory(cell.resolve("checkpoints/checkpoint_0.2500"))) {
                Thread.sleep(5);
            }
            assertThat(manager.isDone()).as("the cell was still running").isFalse();
            postgres.restart();
            CliRun first = manager.get(10, TimeUnit.MINUTES);
            if (first.code() != ExitCodes.OK) {
                assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.JOB_FAILED);
                assertThat(first.err().lines().filter(l -> l.startsWith("error: "))).hasSize(1);
                System.out.println("PostgreSQL restart: the sweep failed with one line, restart recovers: "
                        + first.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(""));
                assertThat(Main.execute("restart", "--db", postgres.url(), "--workdir", root.toString()))
                        .isEqualTo(ExitCodes.OK);
            } else {
                System.out.println("PostgreSQL restart: the sweep completed without a restart");
            }
        } finally {
            stopAll(workers);
        }
        assertSameResults(root.resolve("cells/environment.seed-0"), expected);
        assertThat(Files.readString(root.resolve("compare/sweep.md"))).contains("1 of 1 cells completed");
    }

    private static long finishedCells(Path root) {
        try (var cells = Files.list(root.resolve("cells"))) {
            return cells.filter(c -> Files.isRegularFile(c.resolve("reports/results.json"))).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static boolean anyCellHas(Path root, String path) {
        try (var cells = Files.list(root.resolve("cells"))) {
            return cells.anyMatch(c -> !Files.isRegularFile(c.resolve("reports/results.json"))
                    && Files.exists(c.resolve(path)));
        } catch (java.io.IOException e) {
            return false;
        }
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
