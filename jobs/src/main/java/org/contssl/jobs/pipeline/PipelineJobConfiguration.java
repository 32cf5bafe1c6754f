package org.contssl.jobs.pipeline;

import org.contssl.jobs.status.HostListener;
import org.contssl.steps.outputs.ChildJobParameters;
import org.contssl.steps.outputs.ChildOutputsListener;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parent job: five child jobs, each a real job with its own history, chained in order. A restart of a
 * failed pipeline skips the children that completed and restarts the failed child from its failed step.
 */
@Configuration
public class PipelineJobConfiguration {

    public static final String PIPELINE = "pipeline";

    @Bean
    public Job pipelineJob(JobRepository jobRepository,
                           @Qualifier("listsJob") Job lists, @Qualifier("subsampleJob") Job subsample,
                           @Qualifier("pretrainJob") Job pretrain, @Qualifier("probeJob") Job probe,
                           @Qualifier("reportJob") Job report) throws Exception {
        JobOperator jobOperator = childOperator(jobRepository);
        return new JobBuilder(PIPELINE, jobRepository)
                .listener(new HostListener(jobRepository))
                .start(child(lists, jobRepository, jobOperator))
                .next(child(subsample, jobRepository, jobOperator))
                .next(child(pretrain, jobRepository, jobOperator))
                .next(child(probe, jobRepository, jobOperator))
                .next(child(report, jobRepository, jobOperator))
                .build();
    }

    /**
     * Children run synchronously in the pipeline's thread through an operator of their own: the context's
     * jobOperator bean collects every Job bean at creation, so it cannot also be a dependency of one.
     */
    private static JobOperator childOperator(JobRepository jobRepository) throws Exception {
        TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
        operator.setJobRepository(jobRepository);
        operator.setJobRegistry(new MapJobRegistry());
        operator.setTaskExecutor(new SyncTaskExecutor());
        operator.afterPropertiesSet();
        return operator;
    }

    private static Step child(Job job, JobRepository jobRepository, JobOperator jobOperator) {
        return new StepBuilder(job.getName(), jobRepository)
                .job(new StopBeforeStart(job))
                .operator(jobOperator)
                .parametersExtractor(new ChildJobParameters())
                .listener(new ChildOutputsListener(jobRepository, job.getName()))
                .build();
    }
}
