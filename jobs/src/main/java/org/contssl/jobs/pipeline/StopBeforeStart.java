package org.contssl.jobs.pipeline;

import org.contssl.steps.stop.StopRequest;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.job.parameters.JobParametersIncrementer;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * A child job that does not begin once a stop was requested: its execution is marked STOPPING, which Spring
 * Batch turns into STOPPED before the first step; the pipeline's step for it then ends STOPPED and so does the
 * pipeline. This is how a stop asked for between two child jobs (or during one that has no safe point of its
 * own, like {@code lists}) takes effect: the next child is left for {@code restart}.
 */
final class StopBeforeStart implements Job {

    private final Job delegate;

    StopBeforeStart(Job delegate) {
        this.delegate = delegate;
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public boolean isRestartable() {
        return delegate.isRestartable();
    }

    @Override
    public void execute(JobExecution execution) throws JobInterruptedException {
        if (StopRequest.requested()) {
            execution.setStatus(BatchStatus.STOPPING);
        }
        delegate.execute(execution);
    }

    @Override
    public JobParametersIncrementer getJobParametersIncrementer() {
        return delegate.getJobParametersIncrementer();
    }

    @Override
    public JobParametersValidator getJobParametersValidator() {
        return delegate.getJobParametersValidator();
    }
}
