package org.contssl.tools.bench.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.ProcessStats;

/**
 * {@code bench scaleout}: the probe phase of a shrunken demo (Fashion-MNIST, several checkpoints probed) run once
 * in-process on the workdir's H2 file, then with a throw-away PostgreSQL job repository and 0, 1 and 2 local worker
 * processes; reports each probe phase's wall time, its speedup against the in-process run, and the transport's
 * overhead per partition (see {@link ProbePhase}). Every run is the real CLI in a child JVM (same classpath and JVM
 * flags as this one), so the numbers include what a user pays: JVM start, context building, polling.
 *
 * <p>On one machine the workers share its cores with the manager, so the speedup measures the engine's overhead
 * rather than added capacity; docs/scaling-out.md says how to read it.
 */
public final class ScaleoutBenchmark {

    private static final String MAIN = "org.contssl.jobs.cli.Main";
    private static final Pattern RAN = Pattern.compile("running (probePartition:\\S+) ");

    private ScaleoutBenchmark() {
    }

    /**
     * @param stream images in the shrunken demo's stream
     * @param workers worker-process counts to measure with the PostgreSQL repository
     * @param workdir where runs, logs and the database go, or null for a temporary directory
     * @param overrides {@code key=value} configuration overrides on top of the benchmark's own
     */
    public record Options(int stream, List<Integer> workers, Path workdir, List<String> overrides) {
        public Options {
            workers = List.copyOf(workers);
            overrides = List.copyOf(overrides);
        }

        public static Options defaults() {
            return new Options(2000, List.of(0, 1, 2), null, List.of());
        }
    }

    /** Runs the benchmark; progress lines go to {@code log}. */
    public static BenchReport run(Options o, PrintStream log) throws Exception {
        if (!PostgresServer.available()) {
            throw new IllegalArgumentException("PostgreSQL 15 is not installed (" + PostgresServer.INSTALL + ")");
        }
        Path root = o.workdir() != null ? Files.createDirectories(o.workdir())
                : Files.createTempDirectory("contssl-bench-scaleout");
        List<String> config = new ArrayList<>(List.of("data.num_files=" + o.stream(), "data.ood_probe=false",
                "data.probe_train_size=1000", "data.probe_test_size=500", "model.buff_siz=512",
                "logging.save_freq=0.25",
                "eval.progress=0.25,0.5,0.75,1.0", "environment.threads=1"));
        config.addAll(o.overrides());
        BenchReport report = BenchReport.start("scaleout", log);
        report.put("probe_phase", "shrunken demo: Fashion-MNIST stream of " + o.stream() + " images, "
                + "buffer of 512, checkpoints probed at 25/50/75/100 %, probe sets 1000/500 images,"
                + " one engine thread per partition");
        report.put("overrides", config);
        report.say("runs, logs and the database go to %s", root);

        report.say("in-process (H2, local threads)...");
        Path inProcess = root.resolve("in-process");
        runCli(root.resolve("in-process.log"), "run", "--workdir", inProcess.toString(), config);
        ProbePhase reference = h2Phase(root, inProcess);
        report.say("in-process: probe phase %.1f s, %d partitions (load average %s)", reference.probeMillis() / 1e3,
                reference.partitions().size(), ProcessStats.loadAverages());

        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("in-process", reference, reference, Map.of(), true));
        try (PostgresServer postgres = PostgresServer.start(root)) {
            for (int n : o.workers()) {
                String db = "bench" + n;
                postgres.createDatabase(db);
                Path workdir = root.resolve("workers-" + n);
                List<Process> workers = startWorkers(root, postgres.url(db), n);
                try {
                    report.say("PostgreSQL repository, %d worker process(es)...", n);
                    List<String> args = new ArrayList<>(List.of("--db", postgres.url(db), "--workdir",
                            workdir.toString()));
                    args.addAll(config);
                    runCli(root.resolve("manager-" + n + ".log"), "run", null, null, args);
                } finally {
                    for (Process w : workers) {
                        w.destroy();
                        w.waitFor(30, TimeUnit.SECONDS);
                    }
                }
                ProbePhase phase = pgPhase(postgres, db);
                Map<String, List<String>> ran = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    ran.put("worker" + i, ranBy(root.resolve("worker-" + n + "-" + i + ".log")));
                }
                boolean same = sameResults(inProcess, workdir);
                Map<String, Object> r = row(n + " worker" + (n == 1 ? "" : "s"), phase, reference, ran, same);
                rows.add(r);
                Object overhead = r.get("transport_overhead_s_per_partition");
                report.say("%d worker(s): probe phase %.1f s (speedup %.2f), overhead %s per worker partition,"
                        + " results identical: %s (load average %s)", n, phase.probeMillis() / 1e3,
                        r.get("speedup_vs_in_process"), overhead == null ? "- (no partition on a worker)"
                                : overhead + " s", same, r.get("load_average_1_5_15"));
            }
        }
        report.put("runs", rows);
        return report;
    }

    private static Map<String, Object> row(String name, ProbePhase phase, ProbePhase reference,
                                           Map<String, List<String>> ran, boolean same) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", name);
        r.put("probe_phase_s", BenchReport.round(phase.probeMillis() / 1e3, 2));
        r.put("speedup_vs_in_process", BenchReport.round((double) reference.probeMillis() / phase.probeMillis(), 3));
        r.put("partitions", phase.partitions().size());
        r.put("partition_run_s_total", BenchReport.round(phase.partitionMillis() / 1e3, 2));
        int onWorkers = ran.values().stream().mapToInt(List::size).sum();
        r.put("partitions_on_workers", onWorkers);
        double pickup = phase.meanPickupMillis(ran);
        // seconds: the overhead is dominated by the worker preparing the step, which is seconds under load
        r.put("transport_overhead_s_per_partition", Double.isNaN(pickup) ? null : BenchReport.round(pickup / 1e3, 2));
        r.put("results_identical_to_in_process", same);
        // wall times on a shared machine mean little without the load they were measured under
        r.put("load_average_1_5_15", ProcessStats.loadAverages());
        return r;
    }

    /** The H2 run's phase from {@code status --json} (no creation times there: only wall and run times). */
    private static ProbePhase h2Phase(Path root, Path workdir) throws Exception {
        Path out = root.resolve("in-process-status.json");
        runCli(root.resolve("in-process-status.log"), "status", "--workdir", workdir.toString(),
                List.of("--json"), out);
        long probe = 0;
        List<ProbePhase.Partition> parts = new ArrayList<>();
        for (JsonNode job : BenchReport.MAPPER.readTree(out.toFile()).get("jobs")) {
            for (JsonNode step : job.get("steps")) {
                String name = step.get("name").asText();
                long millis = Math.round(step.get("seconds").asDouble() * 1000);
                if (name.equals("probe")) {
                    probe = millis;
                } else if (name.startsWith("probePartition:")) {
                    parts.add(new ProbePhase.Partition(name, 0, 0, millis));
                }
            }
        }
        return new ProbePhase(probe, parts);
    }

    private static ProbePhase pgPhase(PostgresServer postgres, String db) throws Exception {
        long probe = 0;
        List<ProbePhase.Partition> parts = new ArrayList<>();
        for (String line : postgres.psql(db, "SELECT STEP_NAME, " + millis("CREATE_TIME") + ", "
                + millis("START_TIME") + ", " + millis("END_TIME") + " FROM BATCH_STEP_EXECUTION WHERE STEP_NAME ="
                + " 'probe' OR STEP_NAME LIKE 'probePartition:%'")) {
            String[] f = line.split("\t");
            if (f[0].equals("probe")) {
                probe = Long.parseLong(f[3]) - Long.parseLong(f[2]);
            } else {
                parts.add(new ProbePhase.Partition(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3])));
            }
        }
        return new ProbePhase(probe, parts);
    }

    private static String millis(String column) {
        return "(EXTRACT(EPOCH FROM " + column + ") * 1000)::BIGINT";
    }

    /** Partition names a worker's log says it ran. */
    static List<String> ranBy(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = RAN.matcher(Files.readString(log));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Final parameters' SHA-256 and every probe's numbers (wall times aside) agree with the in-process run. */
    private static boolean sameResults(Path expected, Path actual) throws IOException {
        return paramsSha(expected).equals(paramsSha(actual)) && probes(expected).equals(probes(actual));
    }

    private static JsonNode paramsSha(Path workdir) throws IOException {
        return BenchReport.MAPPER.readTree(workdir.resolve("checkpoints/checkpoint_final/manifest.json").toFile())
                .get("metadata").get("params_sha256");
    }

    private static List<JsonNode> probes(Path workdir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        BenchReport.MAPPER.readTree(workdir.resolve("reports/results.json").toFile()).get("probes").forEach(p -> {
            ((ObjectNode) p).remove(List.of("wall_seconds", "wallSeconds"));
            out.add(p);
        });
        return out;
    }

    private static List<Process> startWorkers(Path root, String url, int n) throws Exception {
        List<Process> workers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path log = root.resolve("worker-" + n + "-" + i + ".log");
            logs.add(log);
            workers.add(child(List.of("worker", "--db", url, "--threads", "1"), log, null).start());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Path log : logs) {
                all &= Files.exists(log) && Files.readString(log).contains(" running (");
            }
            if (all) {
                return workers;
            }
            for (int i = 0; i < n; i++) {
                if (!workers.get(i).isAlive()) {
                    workers.forEach(Process::destroy);
                    throw new IllegalStateException("worker exited early; see " + logs.get(i));
                }
            }
            Thread.sleep(200);
        }
        workers.forEach(Process::destroy);
        throw new IllegalStateException("workers did not start within 3 minutes; see " + root);
    }

    private static void runCli(Path log, String command, String option, String value, List<String> rest)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        if (option != null) {
            args.addAll(List.of(option, value));
        }
        args.addAll(rest);
        await(child(args, log, null).start(), log);
    }

    private static void runCli(Path log, String command, String option, String value, List<String> rest, Path out)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(command, option, value));
        args.addAll(rest);
        await(child(args, log, out).start(), log);
    }

    private static void await(Process p, Path log) throws Exception {
        if (!p.waitFor(60, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit code " + p.exitValue() + "; see " + log);
        }
    }

    /** The CLI in a child JVM: this JVM's flags and classpath (the shaded jar under run.sh), without CONTSSL_DB. */
    private static ProcessBuilder child(List<String> args, Path log, Path stdout) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("CONTSSL_DB");
        if (stdout != null) {
            pb.redirectOutput(stdout.toFile()).redirectError(log.toFile());
        } else {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        return pb;
    }
}
