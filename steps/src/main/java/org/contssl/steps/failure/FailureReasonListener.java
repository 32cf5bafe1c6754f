package org.contssl.steps.failure;

import java.util.Optional;
import org.contssl.steps.stop.StopRequest;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Records the one-line reason of a failed step in its execution context ({@code failure.reason}) and exit
 * description, so `status` and the CLI can show it from the database after the process is gone.
 */
public class FailureReasonListener implements StepExecutionListener {

    public static final String KEY = "failure.reason";
    /** Present when the failure was an exhausted resource ({@link ResourceError}), not a bug or a bad input. */
    public static final String RESOURCE = "failure.resource";
    /** Present when the failure was a damaged state file ({@link DamagedStateFile}): bad input, not a bug. */
    public static final String DAMAGED = "failure.damaged";

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getFailureExceptions().isEmpty()) {
            return null;
        }
        Throwable first = stepExecution.getFailureExceptions().get(0);
        if (stepExecution.getStatus() == BatchStatus.STOPPED && StopRequest.requested()) {
            // Spring Batch records its stop as a JobInterruptedException; the user asked for it, it is no failure
            stepExecution.getExecutionContext().putString(KEY, "stopped on request (" + StopRequest.reason()
                    + "); `restart` continues");
            return null;
        }
        Optional<String> resource = ResourceError.describe(first);
        Optional<DamagedStateFile> damaged = DamagedStateFile.in(first);
        String reason = damaged.map(Throwable::getMessage)
                .orElseGet(() -> resource.orElseGet(() -> FailureReason.of(first)));
        stepExecution.getExecutionContext().putString(KEY, reason);
        if (damaged.isPresent()) {
            stepExecution.getExecutionContext().putString(DAMAGED, "true");
        } else if (resource.isPresent()) {
            stepExecution.getExecutionContext().putString(RESOURCE, "true");
        }
        return new ExitStatus(ExitStatus.FAILED.getExitCode(), reason);
    }
}
