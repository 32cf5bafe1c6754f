package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.contssl.core.Sha256Sidecar;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.probe.ProbeResult;
import org.contssl.steps.probe.ProbeRunner;
import org.contssl.steps.workdir.Workdir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cached features, probe results and the metrics CSVs get a SHA-256 recorded when committed (docs/failures.md,
 * "Damaged or deleted state files"). A changed feature cache or probe result met by the probe step is recomputed;
 * the report refuses a changed probe result or metrics series with one line naming it (exit 6); a resume refuses a
 * changed metrics.csv the same way. Every damage here is a real byte flipped in a real run's file.
 */
class StateFileChecksumsTest {

    @TempDir
    Path root;

    @Test
    void damagedProbeFilesAreRecomputedByTheProbeAndRefusedByTheReport() throws Exception {
        Path tree = TestImageTree.create(root.resolve("images"), 10, 24, 16, 21);
        Path workdir = root.resolve("run");
        List<String> overrides = PipelineFixture.overrides(tree, "eval.progress=1.0");
        assertThat(CliRun.of(PipelineFixture.args("run", workdir, overrides)).code()).isEqualTo(ExitCodes.OK);

        Path result = trainedResult(workdir.resolve("probes"));
        Path features = workdir.resolve("features").resolve(result.getFileName().toString()
                .replaceFirst("\\.json$", ".features"));
        for (Path f : List.of(result, features, workdir.resolve("metrics.csv"))) {
            assertThat(Sha256Sidecar.verify(f)).as(f.toString()).isEqualTo(Sha256Sidecar.Verdict.OK);
        }
        ProbeResult original = ProbeRunner.readResult(result).orElseThrow();

        // a probe result whose accuracy was edited: the report does not present it
        String text = Files.readString(result);
        String edited = text.replaceFirst("\"top1\" : (\\d)", "\"top1\" : 9$1");
        assertThat(edited).isNotEqualTo(text);
        Files.writeString(result, edited);
        CliRun report = CliRun.of("report", "--workdir", workdir.toString());
        assertThat(report.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(errorLine(report)).contains(result.toString())
                .contains("does not match the sha256");

        // the probe step meets it (and a bit-flipped feature cache): both are recomputed, to the same numbers
        flipByte(features);
        FileTime featuresBefore = Files.getLastModifiedTime(features);
        Thread.sleep(10);
        ProbeResult again = new ProbeRunner(ConfigLoader.read(new Workdir(workdir).resolvedConfig()).config(),
                new Workdir(workdir)).run(original.target());
        assertThat(Sha256Sidecar.verify(result)).isEqualTo(Sha256Sidecar.Verdict.OK);
        assertThat(Sha256Sidecar.verify(features)).isEqualTo(Sha256Sidecar.Verdict.OK);
        assertThat(Files.getLastModifiedTime(features)).as("features extracted again").isGreaterThan(featuresBefore);
        assertThat(again.records()).hasSameSizeAs(original.records());
        for (int i = 0; i < again.records().size(); i++) {
            assertThat(again.records().get(i).top1()).isEqualTo(original.records().get(i).top1());
            assertThat(again.records().get(i).top5()).isEqualTo(original.records().get(i).top5());
        }
        assertThat(CliRun.of("report", "--workdir", workdir.toString()).code()).isEqualTo(ExitCodes.OK);

        // a metrics row changed after pretraining committed it: the report refuses it too
        Path metrics = workdir.resolve("metrics.csv");
        flipDigit(metrics);
        CliRun refused = CliRun.of("report", "--workdir", workdir.toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(errorLine(refused)).contains(metrics.toString());
    }

    @Test
    void aResumeRefusesAChangedMetricsCsvWithOneLineAndContinuesOnceRestored() throws Exception {
        Path tree = TestImageTree.create(root.resolve("images"), 10, 40, 16, 22);
        Path workdir = root.resolve("run");
        List<String> overrides = PipelineFixture.overrides(tree, "data.insize=24", "model.num_updates=4",
                "eval.progress=1.0", "logging.print_freq=1");
        Process run = PipelineFixture.startChild(root.resolve("run.log"), PipelineFixture.args("run", workdir,
                overrides));
        assertThat(CrashFixture.killWhen(run, workdir,
                w -> Files.isDirectory(w.resolve("checkpoints/checkpoint_0.5000")))).as("killed mid-pretraining")
                .isTrue();
        Path metrics = workdir.resolve("metrics.csv");
        byte[] intact = Files.readAllBytes(metrics);
        flipDigit(metrics);

        CliRun refused = CliRun.of("restart", "--workdir", workdir.toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(errorLine(refused)).contains(metrics.toString())
                .contains("does not match the sha256");

        Files.write(metrics, intact);
        assertThat(CliRun.of("restart", "--workdir", workdir.toString()).code()).isEqualTo(ExitCodes.OK);
        assertThat(Sha256Sidecar.verify(metrics)).isEqualTo(Sha256Sidecar.Verdict.OK);
    }

    /** The one line the user reads (log lines share stderr in tests). */
    private static String errorLine(CliRun run) {
        List<String> lines = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertThat(lines).as(run.err()).hasSize(1);
        return lines.get(0);
    }

    private static Path trainedResult(Path probes) throws Exception {
        try (Stream<Path> s = Files.list(probes)) {
            return s.filter(p -> p.getFileName().toString().startsWith("checkpoint_final")
                    && p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
    }

    private static void flipByte(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
    }

    /** Changes one digit of the first data row (same length: only a checksum can tell). */
    private static void flipDigit(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int row = new String(bytes, StandardCharsets.UTF_8).indexOf('\n') + 1;
        for (int i = row; i < bytes.length; i++) {
            if (bytes[i] >= '1' && bytes[i] <= '8') {
                bytes[i]++;
                Files.write(file, bytes);
                return;
            }
        }
        throw new AssertionError("no digit to change in " + file);
    }
}
