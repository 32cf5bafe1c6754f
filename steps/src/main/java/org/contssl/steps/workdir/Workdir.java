package org.contssl.steps.workdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One experiment = one workdir. Every path a job reads or writes is named here, so the layout in
 * docs/design.md ("Workdir layout") and the code tell the same story.
 */
public record Workdir(Path root) {

    public Workdir {
        root = root.toAbsolutePath().normalize();
    }

    public static Workdir of(String path) {
        return new Workdir(Path.of(path));
    }

    /** H2 file database of the JobRepository (H2 appends {@code .mv.db}). */
    public Path databaseFile() {
        return root.resolve("jobs.mv.db");
    }

    public String jdbcUrl() {
        // File mode only: never a TCP server or web console. AUTO_SERVER stays off so a second process cannot
        // attach while a run holds the workdir lock. WRITE_DELAY=0: H2 otherwise writes committed transactions to
        // the file up to 500 ms later, and a kill -9 in that window loses a step execution that was committed.
        return "jdbc:h2:file:" + root.resolve("jobs") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    public Path lockFile() {
        return root.resolve("lock");
    }

    public Path resolvedConfig() {
        return root.resolve("config.resolved.yaml");
    }

    /** Exported source images (PNG class folders), shared by every list of this workdir. */
    public Path dataDir() {
        return root.resolve("data");
    }

    public Path listsDir() {
        return root.resolve("lists");
    }

    public Path bufferDir() {
        return root.resolve("buffer");
    }

    public Path checkpointsDir() {
        return root.resolve("checkpoints");
    }

    public Path featuresDir() {
        return root.resolve("features");
    }

    public Path probesDir() {
        return root.resolve("probes");
    }

    public Path metricsCsv() {
        return root.resolve("metrics.csv");
    }

    public Path bufferCompositionCsv() {
        return root.resolve("buffer_composition.csv");
    }

    /** Per insert: distinct clips held, evictions, MinRed's oldest-first evictions (docs/reproducing.md). */
    public Path bufferMechanismCsv() {
        return root.resolve("buffer_mechanism.csv");
    }

    public Path skippedCsv() {
        return root.resolve("skipped.csv");
    }

    public Path reportsDir() {
        return root.resolve("reports");
    }

    public Path create(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
