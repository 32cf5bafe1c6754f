package org.contssl.jobs.pipeline;

import java.nio.file.Path;
import org.contssl.model.data.ImageDecoder;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.failure.FailureReasonListener;
import org.contssl.steps.outputs.JobOutputs;
import org.contssl.steps.pretrain.BadImageSkipPolicy;
import org.contssl.steps.pretrain.DrainTasklet;
import org.contssl.steps.pretrain.ImageCheckProcessor;
import org.contssl.steps.pretrain.SkippedImagesListener;
import org.contssl.steps.pretrain.StreamItem;
import org.contssl.steps.pretrain.StreamReader;
import org.contssl.steps.pretrain.TrainingSessionHolder;
import org.contssl.steps.pretrain.TrainingWriter;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code pretrain}: single-pass buffered SimSiam. Step {@code stream} reads the stream in chunks of the batch
 * size (bad images skipped by the skip policy, counted and listed), inserts each chunk into the buffer and
 * trains the R steps it owes; step {@code drain} samples the frozen buffer until the step budget is spent.
 * Both resume from the newest valid checkpoint, so {@code stream} may run again on restart (it then reads only
 * what lies after that checkpoint, possibly nothing).
 */
@Configuration
public class PretrainJobConfiguration {

    @Bean
    @JobScope
    public TrainingSessionHolder trainingSessions(RunConfig config, Workdir workdir,
                                                  @Value("#{jobParameters['" + JobOutputs.STREAM_LIST + "']}") String list) {
        return new TrainingSessionHolder(config, workdir, Path.of(list));
    }

    @Bean
    @JobScope
    public StreamReader streamReader(TrainingSessionHolder trainingSessions) {
        return new StreamReader(trainingSessions);
    }

    @Bean
    public Step streamStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                           RunConfig config, Workdir workdir, TrainingSessionHolder trainingSessions,
                           StreamReader streamReader) {
        return new StepBuilder("stream", jobRepository)
                .<StreamItem, StreamItem>chunk(config.optim().batchSize())
                .transactionManager(transactionManager)
                .reader(streamReader)
                .processor(new ImageCheckProcessor(new ImageDecoder(config.data().maxImagePixels(),
                        ImageDecoder.DEFAULT_MAX_FILE_BYTES)))
                .writer(new TrainingWriter(trainingSessions, streamReader))
                .faultTolerant()
                .skipPolicy(new BadImageSkipPolicy(() -> trainingSessions.current().plan().keptLength(),
                        config.data().skipLimit()))
                .skipListener(new SkippedImagesListener(workdir.skippedCsv()))
                .listener(trainingSessions)
                .listener(new FailureReasonListener())
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    public Step drainStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                          TrainingSessionHolder trainingSessions) {
        return new StepBuilder("drain", jobRepository)
                .tasklet(new DrainTasklet(trainingSessions), transactionManager)
                .listener(trainingSessions)
                .listener(new FailureReasonListener())
                .build();
    }

    @Bean
    public Job pretrainJob(JobRepository jobRepository, Step streamStep, Step drainStep,
                           TrainingSessionHolder trainingSessions) {
        return new JobBuilder("pretrain", jobRepository)
                .start(streamStep)
                .next(drainStep)
                .listener(new JobExecutionListener() {
                    @Override
                    public void afterJob(JobExecution jobExecution) {
                        trainingSessions.close();
                    }
                })
                .build();
    }
}
