package org.contssl.jobs.launch;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.plan.RunPlan;
import org.contssl.steps.workdir.Workdir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the disk a run will still need — {@code plan}'s estimate of the buffer file, the checkpoints and the
 * cached probe features, less what the workdir already holds of them — with the free space of the workdir's file
 * system, before anything starts. Short of space is a warning (the run would end with the resource exit code when
 * the disk fills, and resume after); with {@code --strict} the run is refused instead. The estimate leaves out the
 * model part of each checkpoint when no timing was made, so it errs low: a warning here is never a false alarm.
 */
final class DiskSpace {

    private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);

    private DiskSpace() {
    }

    /** The one-line shortfall message, or empty when the free space covers the estimate (or it cannot be made). */
    static Optional<String> shortfall(Workdir workdir, ResolvedConfig config) {
        try {
            RunPlan plan = RunPlan.of(config, workdir.root(), 0, 2);
            long needed = plan.bufferBytes() + plan.checkpointBytes() + plan.featureBytes();
            long held = size(workdir.bufferDir()) + size(workdir.checkpointsDir()) + size(workdir.featuresDir());
            long still = Math.max(0, needed - held);
            Files.createDirectories(workdir.root());
            FileStore store = Files.getFileStore(workdir.root());
            long free = store.getUsableSpace();
            if (still <= free) {
                return Optional.empty();
            }
            return Optional.of(String.format(Locale.ROOT, "this run needs about %s more on the file system of %s"
                    + " (buffer file, checkpoints, cached features; see `plan`) and only %s are free", mib(still),
                    workdir.root(), mib(free)));
        } catch (IOException | RuntimeException e) {
            log.debug("no disk estimate: {}", e.toString());
            return Optional.empty();
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static long size(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
