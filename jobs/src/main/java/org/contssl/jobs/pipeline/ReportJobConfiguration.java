package org.contssl.jobs.pipeline;

import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.failure.FailureReasonListener;
import org.contssl.steps.report.ReportTasklet;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** {@code report}: HTML/Markdown/JSON/CSV report with charts, from the stored results of the earlier jobs. */
@Configuration
public class ReportJobConfiguration {

    @Bean
    public Job reportJob(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                         ResolvedConfig config, Workdir workdir) {
        return new JobBuilder("report", jobRepository)
                .start(new StepBuilder("report", jobRepository)
                        .tasklet(new ReportTasklet(config, workdir, jobRepository), transactionManager)
                        .listener(new FailureReasonListener())
                        .build())
                .build();
    }
}
