package org.contssl.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.contssl.jobs.config.JobsContext;
import org.contssl.jobs.status.ExecutionHistory;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** Small, fast pipeline settings on a generated image tree, and ways to run the real CLI in this or a child JVM. */
final class PipelineFixture {

    private PipelineFixture() {
    }

    /** conv4 on 16 px grey images, FIFO buffer of 64, batch 32, R = 2; no MNIST download, short probes. */
    static List<String> overrides(Path imageTree, String... extra) {
        List<String> o = new ArrayList<>(List.of(
                "data.source=folder:" + imageTree, "data.num_files=0", "data.insize=16", "data.channels=1",
                "data.probe_train_size=60", "data.probe_test_size=40", "data.ood_probe=false",
                "model.buff_siz=64", "model.num_updates=2", "optim.batch_size=32",
                "logging.save_freq=0.25", "eval.progress=0.5,1.0",
                "lincls.imnet.optim.epochs=5", "lincls.imnet.optim.batch_size=32",
                "environment.threads=1"));
        o.addAll(List.of(extra));
        return o;
    }

    static String[] args(String command, Path workdir, List<String> overrides) {
        List<String> a = new ArrayList<>(List.of(command, "--workdir", workdir.toString()));
        a.addAll(overrides);
        return a.toArray(String[]::new);
    }

    static ExecutionHistory history(Path workdir) {
        try (AnnotationConfigApplicationContext context = JobsContext.repository(new Workdir(workdir))) {
            return ExecutionHistory.read(context.getBean(JobRepository.class));
        }
    }

    /** Starts the CLI in a child JVM (same classpath and JVM flags as this test JVM). */
    static Process startChild(Path log, String... cliArgs) throws IOException {
        return startChildMain(log, "org.contssl.jobs.cli.Main", cliArgs);
    }

    /** Starts {@code mainClass} in a child JVM (same classpath and JVM flags as this test JVM). */
    static Process startChildMain(Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Dai.djl"))
                .toList());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static int await(Process p, long seconds) throws InterruptedException {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish within " + seconds + " s");
        }
        return p.exitValue();
    }

    /** Waits for a child started with {@link #startChild} and fails with the tail of its log unless it exited 0. */
    static void awaitSuccess(Process p, Path log, long seconds) throws Exception {
        int code = await(p, seconds);
        if (code != 0) {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            throw new AssertionError("child JVM exited " + code + "; last lines of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
        }
    }
}
