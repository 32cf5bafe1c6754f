package org.contssl.jobs.pipeline;

import org.contssl.steps.config.RunConfig;
import org.contssl.steps.failure.FailureReasonListener;
import org.contssl.steps.lists.SubsampleTasklet;
import org.contssl.steps.outputs.JobOutputs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** {@code subsample}: keep every k-th stream record ({@code data.subsample}). */
@Configuration
public class SubsampleJobConfiguration {

    @Bean
    @StepScope
    public SubsampleTasklet subsampleTasklet(RunConfig config,
                                             @Value("#{jobParameters['" + JobOutputs.STREAM_LIST + "']}") String list) {
        return new SubsampleTasklet(config, list);
    }

    @Bean
    public Job subsampleJob(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                            SubsampleTasklet subsampleTasklet) {
        return new JobBuilder("subsample", jobRepository)
                .start(new StepBuilder("subsample", jobRepository)
                        .tasklet(subsampleTasklet, transactionManager)
                        .listener(new FailureReasonListener())
                        .build())
                .build();
    }
}
