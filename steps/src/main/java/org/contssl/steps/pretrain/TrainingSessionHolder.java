package org.contssl.steps.pretrain;

import java.nio.file.Path;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Keeps one training session alive across the pretrain job's two steps ({@code stream}, then {@code drain})
 * within a process. Each step opens it on start if no session is live — restoring the newest valid checkpoint —
 * and records the last checkpoint in its execution context, so Spring Batch's history and the training state
 * agree. A failed step closes the session: its successor restarts from a checkpoint, never from memory.
 */
public class TrainingSessionHolder implements StepExecutionListener {

    public static final String LAST_CHECKPOINT = "pretrain.last_checkpoint";
    public static final String STEPS_DONE = "pretrain.steps";
    private final RunConfig config;
    private final Workdir workdir;
    private final Path streamList;
    private TrainingSession session;
    private StepExecution current;

    public TrainingSessionHolder(RunConfig config, Workdir workdir, Path streamList) {
        this.config = config;
        this.workdir = workdir;
        this.streamList = streamList;
    }

    public Path checkpointsDir() {
        return workdir.checkpointsDir();
    }

    public TrainingSession current() {
        if (session == null) {
            session = TrainingSessionFactory.open(config, workdir, streamList, this::recordCheckpoint);
        }
        return session;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        current = stepExecution;
        current();
        recordProgress();
    }

    @Override
    public org.springframework.batch.core.ExitStatus afterStep(StepExecution stepExecution) {
        recordProgress();
        if (stepExecution.getStatus().isUnsuccessful() || stepExecution.getStatus() == BatchStatus.STOPPED
                || "drain".equals(stepExecution.getStepName())) {
            close();
        }
        current = null;
        return null;
    }

    /** Ends the running step STOPPED after its current chunk (Spring Batch's stop: terminate-only, restartable). */
    public void terminateStep() {
        if (current != null) {
            current.setTerminateOnly();
        }
    }

    private void recordCheckpoint(String name, SessionState state, double seconds) {
        recordProgress();
    }

    private void recordProgress() {
        if (current != null && session != null) {
            if (session.lastCheckpoint() != null) {
                current.getExecutionContext().putString(LAST_CHECKPOINT, session.lastCheckpoint());
            }
            current.getExecutionContext().putLong(STEPS_DONE, session.state().steps());
        }
    }

    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
