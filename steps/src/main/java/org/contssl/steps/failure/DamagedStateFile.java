package org.contssl.steps.failure;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A state file that does not match the SHA-256 recorded when it was committed and that contssl cannot recompute
 * (the metrics CSVs: training history), or that the report would otherwise trust after its producing step is over
 * (a probe result). The run ends with the bad-input exit code and one line naming the file and the way out
 * (docs/failures.md, "Damaged or deleted state files"); derived files that can be recomputed (cached features, a
 * probe result met by a restarted probe step) never get here, they are recomputed.
 */
public final class DamagedStateFile extends RuntimeException {

    private final transient Path file;

    public DamagedStateFile(Path file, String remedy) {
        super(file + " does not match the sha256 recorded when it was written (changed or damaged since): " + remedy);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The first DamagedStateFile in an exception chain. */
    public static Optional<DamagedStateFile> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DamagedStateFile d) {
                return Optional.of(d);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
