package org.contssl.storage.checkpoint;

import java.io.IOException;
import java.io.OutputStream;

/** One named part of a checkpoint (model state, buffer snapshot, counters), produced by streaming into a file. */
public record Section(String name, Writer writer) {

    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public Section {
        if (!name.matches("[A-Za-z0-9._-]+") || name.equals(CheckpointStore.MANIFEST)) {
            throw new IllegalArgumentException("checkpoint section name '" + name + "' must be a plain file name");
        }
    }
}
