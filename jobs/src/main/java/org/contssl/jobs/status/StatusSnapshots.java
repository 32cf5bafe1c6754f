package org.contssl.jobs.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.contssl.core.AtomicFiles;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.repository.JobRepository;

/**
 * While a run holds the workdir, its H2 file is locked to that process, so `status` from another process
 * cannot open it. The running process therefore writes {@code status.json} every few seconds; `status`
 * shows that snapshot while the lock is held and reads the database otherwise.
 */
public final class StatusSnapshots implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final JobRepository repository;
    private final Path file;
    private final ScheduledExecutorService timer;

    private StatusSnapshots(JobRepository repository, Path file) {
        this.repository = repository;
        this.file = file;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "status-snapshot");
            t.setDaemon(true);
            return t;
        });
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static Path file(Workdir workdir) {
        return workdir.root().resolve("status.json");
    }

    public static StatusSnapshots start(JobRepository repository, Workdir workdir) {
        StatusSnapshots s = new StatusSnapshots(repository, file(workdir));
        s.timer.scheduleWithFixedDelay(s::writeQuietly, 2, 5, TimeUnit.SECONDS);
        return s;
    }

    /** Synchronized: the timer thread and the closing run may both write the last snapshot. */
    public synchronized void writeNow() {
        try {
            write(ExecutionHistory.read(repository), file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Replaces the snapshot atomically (each writer has a temp name of its own, so two writers never move each
     * other's file away). Not fsynced: the snapshot is rewritten every few seconds, a restart never reads it, and a
     * sync every five seconds would compete with the checkpoints' own syncs for the disk.
     */
    public static void write(ExecutionHistory history, Path file) throws IOException {
        AtomicFiles.writeUnsynced(file, JSON.writeValueAsBytes(history));
    }

    public static ExecutionHistory readSnapshot(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ExecutionHistory.class);
    }

    private void writeQuietly() {
        try {
            writeNow();
        } catch (RuntimeException e) {
            // a snapshot is a convenience: a failed one must never disturb the run
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
