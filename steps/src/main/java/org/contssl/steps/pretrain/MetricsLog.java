package org.contssl.steps.pretrain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.contssl.core.AtomicFiles;
import org.contssl.core.Sha256Sidecar;
import org.contssl.reports.series.BufferComposition;
import org.contssl.reports.series.BufferMechanismCsv;
import org.contssl.reports.series.MetricsCsv;
import org.contssl.reports.series.MetricsRow;
import org.contssl.steps.failure.DamagedStateFile;

/**
 * {@code metrics.csv} of a run (one row per logged step) and the buffer-composition series. On a resume the
 * rows written after the restored checkpoint are cut first, so the files always describe the run that
 * produced the final model and never count a step twice. The cut is an atomic rewrite; appended rows are forced to
 * disk ({@link #sync}) whenever a checkpoint is written and when the log is closed.
 */
final class MetricsLog implements AutoCloseable {

    private final Path metrics;
    private final Path composition;
    private final Path mechanism;
    private final List<String> groups;
    private MetricsCsv.Appender appender;
    private BufferComposition.Appender compositionAppender;
    private BufferMechanismCsv.Appender mechanismAppender;

    MetricsLog(Path metrics, Path composition, Path mechanism, List<String> groups) {
        this.metrics = metrics;
        this.composition = composition;
        this.mechanism = mechanism;
        this.groups = groups;
    }

    /** Drops rows after {@code step} (every file), then opens them for appending. */
    void resumeAfter(long step) {
        for (Path file : List.of(metrics, composition, mechanism)) {
            // rows before the checkpoint cannot be re-derived without training again: refuse rather than trust
            if (Sha256Sidecar.verify(file) == Sha256Sidecar.Verdict.MISMATCH) {
                throw new DamagedStateFile(file, "restore it, or move it away and `restart` (the series then starts"
                        + " at the resumed step)");
            }
        }
        truncate(metrics, step);
        truncate(composition, step);
        truncate(mechanism, step);
        appender = MetricsCsv.append(metrics);
    }

    /** One insert's mechanism row (distinct clips held, MinRed's oldest-first evictions). */
    void mechanism(BufferMechanismCsv.Row row) {
        if (mechanismAppender == null) {
            mechanismAppender = BufferMechanismCsv.append(mechanism);
        }
        mechanismAppender.write(row);
    }

    void write(MetricsRow row) {
        appender.write(row);
    }

    /** One row of buffer composition: entries per group (class or domain), in the groups' order. */
    void composition(long step, long[] counts) {
        if (compositionAppender == null) {
            compositionAppender = BufferComposition.append(composition, groups);
        }
        compositionAppender.write(step, counts);
    }

    private static void truncate(Path file, long step) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (i == 0 || line.isBlank()) {
                    if (i == 0) {
                        kept.add(line);
                    }
                    continue;
                }
                long rowStep = Long.parseLong(line.substring(0, line.indexOf(',')));
                if (rowStep <= step) {
                    kept.add(line);
                }
            }
            StringBuilder text = new StringBuilder();
            for (String line : kept) {
                text.append(line).append(System.lineSeparator());
            }
            byte[] cut = text.toString().getBytes(StandardCharsets.UTF_8);
            // the record first: the cut keeps a prefix, so a crash before the rewrite leaves a record that also
            // holds for the longer old file
            Sha256Sidecar.recordUpcoming(file, cut);
            AtomicFiles.write(file, cut);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot cut " + file + " back to step " + step + ": " + e.getMessage(), e);
        }
    }

    /**
     * Forces the rows appended so far to disk. Called before a checkpoint is written: a restart from that checkpoint
     * keeps the rows up to its step and appends after them, so those rows must survive a crash as surely as the
     * checkpoint does. (Rows are flushed to the OS on every write; only a power loss could drop them otherwise.)
     */
    void sync() {
        syncIfPresent(metrics);
        syncIfPresent(composition);
        syncIfPresent(mechanism);
        // the rows committed with this checkpoint: a resume and the report verify this prefix (docs/failures.md)
        recordIfPresent(metrics);
        recordIfPresent(composition);
        recordIfPresent(mechanism);
        // the files' directory entries too: the first sync after a fresh start publishes newly created files
        Path dir = metrics.toAbsolutePath().getParent();
        AtomicFiles.syncDirectory(dir);
        if (!composition.toAbsolutePath().getParent().equals(dir)) {
            AtomicFiles.syncDirectory(composition.toAbsolutePath().getParent());
        }
    }

    private static void recordIfPresent(Path file) {
        if (Files.exists(file)) {
            Sha256Sidecar.record(file);
        }
    }

    private static void syncIfPresent(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            AtomicFiles.syncFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (appender != null) {
                appender.close();
            }
            if (compositionAppender != null) {
                compositionAppender.close();
            }
            if (mechanismAppender != null) {
                mechanismAppender.close();
            }
            // the step ends here (completed or failed): what it logged is on disk before its status is recorded
            sync();
        } catch (RuntimeException e) {
            // closing is best effort: every row was flushed when written
        }
    }
}
