package org.contssl.steps.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.contssl.core.AtomicFiles;
import org.contssl.model.SimSiamTrainer;
import org.contssl.storage.ReplayBuffer;
import org.contssl.storage.checkpoint.Checkpoint;
import org.contssl.storage.checkpoint.CheckpointStore;
import org.contssl.storage.checkpoint.LoadResult;
import org.contssl.storage.checkpoint.SectionWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pretraining checkpoints: {@code model.state} (parameters incl. BN running statistics + optimizer state),
 * {@code buffer.snapshot} (entries, statistics, sampling generator) and {@code session.json} (counters), written
 * atomically with checksums by the storage module's {@link CheckpointStore}. Its metadata carries what the probes
 * and the report need without loading anything: progress, step, stream position, parameter hash.
 */
public final class TrainingCheckpoints {

    public static final String MODEL = "model";
    public static final String BUFFER = "buffer";
    public static final String SESSION = "session";
    private static final Logger log = LoggerFactory.getLogger(TrainingCheckpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CheckpointStore store;

    public TrainingCheckpoints(Path dir) {
        try {
            this.store = new CheckpointStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A checkpoint to resume from. */
    public record Restorable(Checkpoint stored, SessionState state) {
        public String name() {
            return stored.name();
        }

        public InputStream model() throws IOException {
            return stored.open(MODEL);
        }

        public InputStream buffer() throws IOException {
            return stored.open(BUFFER);
        }
    }

    /** The model file inside a checkpoint directory (for {@code model.pretrained} and the probes), as its manifest names it. */
    public static Path modelFileOf(Path checkpointDir) {
        try {
            Checkpoint c = new CheckpointStore(checkpointDir.toAbsolutePath().getParent())
                    .get(checkpointDir.getFileName().toString());
            if (!c.hasSection(MODEL)) {
                throw new IllegalArgumentException(checkpointDir + " holds no model section: it is not a pretraining checkpoint");
            }
            return checkpointDir.resolve(c.section(MODEL).file());
        } catch (IOException e) {
            throw new IllegalArgumentException(checkpointDir + " is not a readable contssl checkpoint (" + e.getMessage()
                    + "): point at a checkpoints/checkpoint_* directory", e);
        }
    }

    void save(String name, SessionState state, double progress, SimSiamTrainer trainer, ReplayBuffer buffer) {
        Map<String, SectionWriter> sections = new LinkedHashMap<>();
        sections.put(MODEL, trainer::saveState);
        if (buffer != null) {
            sections.put(BUFFER, buffer::snapshotTo);
        }
        // Jackson would close the stream it writes to; the store owns it
        sections.put(SESSION, out -> out.write(JSON.writeValueAsBytes(state)));
        Map<String, String> meta = Map.of(
                "progress", String.format(Locale.ROOT, "%.6f", progress),
                "step", Long.toString(state.steps()),
                "position", Long.toString(state.position()),
                "params_sha256", state.paramsSha256());
        try {
            store.write(name, progress, meta, sections);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + name + " in " + store.dir() + ": "
                    + e.getMessage() + " (the earlier checkpoints are intact)", e);
        }
    }

    Optional<Restorable> latestValid() {
        LoadResult result;
        try {
            result = store.loadLatestValid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoints in " + store.dir() + ": " + e.getMessage(), e);
        }
        for (String rejected : result.rejected()) {
            log.warn("{}; falling back to the previous valid checkpoint", rejected);
        }
        return result.checkpoint().map(c -> {
            try (InputStream in = c.open(SESSION)) {
                return new Restorable(c, JSON.readValue(in, SessionState.class));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + c.dir().resolve(SESSION), e);
            }
        });
    }

    /**
     * Removes a checkpoint if present: renamed out of sight first (dot names are never candidates, and the store
     * clears a dead process's {@code .trash-} leftovers), so a crash mid-delete never leaves a half checkpoint.
     */
    void delete(String name) {
        Path target = store.dir().resolve(name);
        if (!Files.isDirectory(target)) {
            return;
        }
        Path trash = store.dir().resolve(".trash-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(store.dir());
            AtomicFiles.deleteTree(trash);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + target + ": " + e.getMessage(), e);
        }
    }

    /** All complete checkpoints in progress order (for the probes and the report). */
    public List<Checkpoint> list() {
        try {
            return store.list();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + store.dir() + ": " + e.getMessage(), e);
        }
    }
}
