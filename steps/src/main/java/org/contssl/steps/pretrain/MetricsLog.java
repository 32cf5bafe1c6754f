package org.contssl.steps.pretrain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.contssl.reports.series.BufferComposition;
import org.contssl.reports.series.MetricsCsv;
import org.contssl.reports.series.MetricsRow;

/**
 * {@code metrics.csv} of a run (one row per logged step) and the buffer-composition series. On a resume the
 * rows written after the restored checkpoint are cut first, so the files always describe the run that
 * produced the final model and never count a step twice.
 */
final class MetricsLog implements AutoCloseable {

    private final Path metrics;
    private final Path composition;
    private final List<String> groups;
    private MetricsCsv.Appender appender;
    private BufferComposition.Appender compositionAppender;

    MetricsLog(Path metrics, Path composition, List<String> groups) {
        this.metrics = metrics;
        this.composition = composition;
        this.groups = groups;
    }

    /** Drops rows after {@code step} (both files), then opens them for appending. */
    void resumeAfter(long step) {
        truncate(metrics, step);
        truncate(composition, step);
        appender = MetricsCsv.append(metrics);
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
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot cut " + file + " back to step " + step + ": " + e.getMessage(), e);
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
        } catch (RuntimeException e) {
            // closing is best effort: every row was flushed when written
        }
    }
}
