package org.contssl.jobs.status;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.contssl.steps.failure.FailureReasonListener;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * What ran in a workdir, read from the JobRepository: every job execution (the pipeline and its children)
 * with its step executions, counts, times and one-line failure reasons.
 */
public record ExecutionHistory(List<Job> jobs) {

    public record Job(String name, long instanceId, long executionId, String status, String exitCode,
                      String started, String ended, Double seconds, String reason, List<Step> steps) {
    }

    public record Step(String name, String status, long readCount, long writeCount, long filterCount,
                       long readSkipCount, long processSkipCount, long writeSkipCount, long commitCount,
                       long rollbackCount, String started, String ended, Double seconds, String exitCode,
                       String reason) {
    }

    public static ExecutionHistory read(JobRepository repository) {
        List<Job> jobs = new ArrayList<>();
        for (String name : repository.getJobNames()) {
            for (JobInstance instance : repository.getJobInstances(name, 0, Integer.MAX_VALUE)) {
                for (JobExecution execution : repository.getJobExecutions(instance)) {
                    jobs.add(job(name, instance, repository.getJobExecution(execution.getId())));
                }
            }
        }
        jobs.sort(Comparator.comparing((Job j) -> j.started() == null ? "" : j.started())
                .thenComparing(Job::executionId));
        return new ExecutionHistory(jobs);
    }

    /** Executions of one job, oldest first. */
    public List<Job> of(String jobName) {
        return jobs.stream().filter(j -> j.name().equals(jobName)).toList();
    }

    private static Job job(String name, JobInstance instance, JobExecution e) {
        List<Step> steps = new ArrayList<>();
        String reason = null;
        for (StepExecution s : e.getStepExecutions()) {
            String stepReason = s.getExecutionContext().containsKey(FailureReasonListener.KEY)
                    ? s.getExecutionContext().getString(FailureReasonListener.KEY) : null;
            if (reason == null && stepReason != null) {
                reason = stepReason;
            }
            steps.add(new Step(s.getStepName(), s.getStatus().name(), s.getReadCount(), s.getWriteCount(),
                    s.getFilterCount(), s.getReadSkipCount(), s.getProcessSkipCount(), s.getWriteSkipCount(),
                    s.getCommitCount(), s.getRollbackCount(), time(s.getStartTime()), time(s.getEndTime()),
                    seconds(s.getStartTime(), s.getEndTime()), s.getExitStatus().getExitCode(), stepReason));
        }
        steps.sort(Comparator.comparing((Step s) -> s.started() == null ? "" : s.started()));
        return new Job(name, instance.getInstanceId(), e.getId(), e.getStatus().name(),
                e.getExitStatus().getExitCode(), time(e.getStartTime()), time(e.getEndTime()),
                seconds(e.getStartTime(), e.getEndTime()), reason, steps);
    }

    private static String time(LocalDateTime t) {
        return t == null ? null : t.withNano(t.getNano() / 1_000_000 * 1_000_000).toString();
    }

    private static Double seconds(LocalDateTime start, LocalDateTime end) {
        return start == null || end == null ? null : Duration.between(start, end).toMillis() / 1000.0;
    }
}
