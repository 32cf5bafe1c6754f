package org.contssl.steps.outputs;

import java.util.Map;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.job.JobStep;
import org.contssl.steps.failure.FailureReasonListener;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Listens on a pipeline {@link JobStep}: when the child job has run, copies its published {@code out.*}
 * outputs into the pipeline's job context (where the next child's parameters come from), and carries a
 * failed child's one-line reason up to the pipeline step.
 */
public class ChildOutputsListener implements StepExecutionListener {

    private final JobRepository jobRepository;
    private final String childJob;

    public ChildOutputsListener(JobRepository jobRepository, String childJob) {
        this.jobRepository = jobRepository;
        this.childJob = childJob;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        Object params = stepExecution.getExecutionContext().get(jobParametersKey());
        if (!(params instanceof JobParameters childParameters)) {
            return null;
        }
        JobExecution last = jobRepository.getLastJobExecution(childJob, childParameters);
        // re-read by id: only that query hydrates the step executions' contexts (failure reasons live there)
        JobExecution child = last == null ? null : jobRepository.getJobExecution(last.getId());
        if (child == null) {
            return null;
        }
        ExecutionContext parent = stepExecution.getJobExecution().getExecutionContext();
        for (Map.Entry<String, Object> e : child.getExecutionContext().entrySet()) {
            if (e.getKey().startsWith(JobOutputs.PREFIX)) {
                parent.put(e.getKey(), e.getValue());
            }
        }
        return child.getStatus().isUnsuccessful() ? carryFailure(child, stepExecution) : null;
    }

    /**
     * A failed child step's reason becomes the pipeline step's reason; a failed partition's own reason is
     * preferred to its manager step's generic one.
     */
    private ExitStatus carryFailure(JobExecution child, StepExecution stepExecution) {
        StepExecution chosen = null;
        for (StepExecution s : child.getStepExecutions()) {
            if (s.getExecutionContext().containsKey(FailureReasonListener.KEY)
                    && (chosen == null || s.getStepName().contains(":"))) {
                chosen = s;
            }
        }
        if (chosen == null) {
            return null;
        }
        String line = childJob + "/" + chosen.getStepName() + ": "
                + chosen.getExecutionContext().getString(FailureReasonListener.KEY);
        stepExecution.getExecutionContext().putString(FailureReasonListener.KEY, line);
        for (String kind : new String[] {FailureReasonListener.RESOURCE, FailureReasonListener.DAMAGED}) {
            if (chosen.getExecutionContext().containsKey(kind)) {
                stepExecution.getExecutionContext().putString(kind, "true");
            }
        }
        return new ExitStatus(ExitStatus.FAILED.getExitCode(), line);
    }

    private static String jobParametersKey() {
        // JobStep keeps the parameters it launched the child with under this key (so restarts reuse them).
        return JobStep.class.getName() + ".JOB_PARAMETERS";
    }
}
