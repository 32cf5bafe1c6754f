package org.contssl.jobs.pipeline;

import org.contssl.steps.config.RunConfig;
import org.contssl.steps.failure.FailureReasonListener;
import org.contssl.steps.lists.ListsTasklet;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.transaction.PlatformTransactionManager;

/** {@code lists}: export the source images to files and build the stream list and the probe lists. */
@Configuration
public class ListsJobConfiguration {

    @Bean
    public Job listsJob(JobRepository jobRepository, PlatformTransactionManager transactionManager, RunConfig config,
                        Workdir workdir) {
        return new JobBuilder("lists", jobRepository)
                .start(new StepBuilder("lists", jobRepository)
                        .tasklet(new ListsTasklet(config, workdir), transactionManager)
                        .listener(new FailureReasonListener())
                        .build())
                .build();
    }
}
