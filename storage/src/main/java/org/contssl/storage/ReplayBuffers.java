package org.contssl.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.contssl.storage.internal.ChronicleReplayBuffer;

/** Opens replay buffers persisted under a directory (one Chronicle Map file, {@code replay.cm}). */
public final class ReplayBuffers {
    private ReplayBuffers() {}

    /**
     * Opens the buffer in {@code dir}, creating it if absent. After a clean close the state comes back as it was; after
     * a kill -9 the map is recovered and used if no update was torn, otherwise a {@link BufferStateException} says to
     * restart from the previous checkpoint (see {@link #restore}).
     */
    public static ReplayBuffer open(BufferSpec spec, Path dir) {
        return ChronicleReplayBuffer.open(spec, dir, false);
    }

    /** A new, empty buffer in {@code dir}, discarding whatever was there. */
    public static ReplayBuffer create(BufferSpec spec, Path dir) {
        return ChronicleReplayBuffer.open(spec, dir, true);
    }

    /**
     * Recreates the buffer in {@code dir} from a checkpoint snapshot (written by {@link ReplayBuffer#snapshotTo}),
     * ignoring the state the live file was left in: the restart path after a crash.
     */
    public static ReplayBuffer restore(BufferSpec spec, Path dir, InputStream snapshot) throws IOException {
        return ChronicleReplayBuffer.restore(spec, dir, snapshot);
    }
}
