package org.contssl.jobs.status;

import org.contssl.jobs.config.JobDatabase;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;

/** Records which process launched an execution ({@code host:pid}), for {@code status --db} across machines. */
public final class HostListener implements JobExecutionListener {

    private final JobRepository repository;

    public HostListener(JobRepository repository) {
        this.repository = repository;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        jobExecution.getExecutionContext().putString(RepositoryOverview.HOST, JobDatabase.processName());
        repository.updateExecutionContext(jobExecution);
    }
}
