package org.contssl.storage.checkpoint;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one named section of a checkpoint (model parameters, optimizer state, buffer snapshot, counters...). */
@FunctionalInterface
public interface SectionWriter {
    /** Writes the section's bytes; must not close {@code out}. */
    void writeTo(OutputStream out) throws IOException;
}
