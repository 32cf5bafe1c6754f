package org.contssl.jobs.pipeline;

import java.nio.file.Path;
import org.contssl.jobs.remote.DistributedPartitionHandler;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.failure.FailureReasonListener;
import org.contssl.steps.outputs.JobOutputs;
import org.contssl.steps.probe.ProbePartitionTasklet;
import org.contssl.steps.probe.ProbePartitioner;
import org.contssl.steps.probe.ProbeRunner;
import org.contssl.steps.probe.ProbeStepListener;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code probe}: linear probes and kNN on frozen features, one partition per (checkpoint, dataset) — plus the
 * random-init and raw-pixel floors — on a local thread pool, or on the running workers when the job repository is a
 * shared database (docs/scaling-out.md). Each partition persists its result when it completes; after a crash the
 * restart re-runs only the partitions that did not.
 */
@Configuration
public class ProbeJobConfiguration {

    @Bean
    @StepScope
    public ProbePartitioner probePartitioner(RunConfig config,
                                             @Value("#{jobParameters['" + JobOutputs.PROBE_SETS + "']}") String plan,
                                             @Value("#{jobParameters['" + JobOutputs.CHECKPOINTS + "']}") String checkpoints) {
        return new ProbePartitioner(config, Path.of(plan), Path.of(checkpoints));
    }

    @Bean
    @StepScope
    public ProbePartitionTasklet probePartitionTasklet(RunConfig config, Workdir workdir,
            @Value("#{stepExecutionContext['" + ProbePartitioner.TARGET + "']}") String target) {
        return new ProbePartitionTasklet(new ProbeRunner(config, workdir), target);
    }

    @Bean
    public Step probePartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                   ProbePartitionTasklet probePartitionTasklet) {
        return new StepBuilder("probePartition", jobRepository)
                .tasklet(probePartitionTasklet, transactionManager)
                .listener(new FailureReasonListener())
                .build();
    }

    @Bean
    public Step probeStep(JobRepository jobRepository, RunConfig config, Workdir workdir,
                          ProbePartitioner probePartitioner, Step probePartitionStep) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("probe-");
        executor.setConcurrencyLimit(ProbeStepListener.parallelPartitions(config));
        return new StepBuilder("probe", jobRepository)
                .partitioner("probePartition", probePartitioner)
                .partitionHandler(DistributedPartitionHandler.of(probePartitionStep, executor, jobRepository, true))
                .listener(new ProbeStepListener(config, workdir))
                .listener(new FailureReasonListener())
                .build();
    }

    @Bean
    public Job probeJob(JobRepository jobRepository, Step probeStep) {
        return new JobBuilder("probe", jobRepository).start(probeStep).build();
    }
}
