package org.contssl.storage.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * Outcome of {@link CheckpointStore#loadLatestValid()}: the newest checkpoint that verified, if any, and one line per
 * newer checkpoint that did not (name and reason), newest first.
 */
public record LoadResult(Optional<Checkpoint> checkpoint, List<String> rejected) {
    /** One line for the log: what was loaded and what was skipped. */
    public String summary() {
        String loaded = checkpoint.map(c -> "resuming from " + c.name()).orElse("no valid checkpoint");
        return rejected.isEmpty() ? loaded : loaded + "; skipped " + String.join("; ", rejected);
    }
}
