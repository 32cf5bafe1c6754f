package org.contssl.jobs.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.jobs.launch.Outcome;
import org.contssl.jobs.launch.PipelineLauncher;
import org.contssl.jobs.remote.DistributedPartitionHandler;
import org.contssl.jobs.status.HostListener;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.failure.FailureReasonListener;
import org.contssl.steps.workdir.Workdir;
import org.contssl.steps.stop.StopRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * {@code sweep}: one job whose partitioned step has one partition per grid cell; a partition runs (or resumes) that
 * cell's whole pipeline in the cell's workdir. With a shared database the cells go to the running workers (each cell
 * then runs its probes wherever there is a free slot); without, they run here one after another. Spring Batch's
 * partition restart gives the sweep's restart rule for free: COMPLETED cells are skipped, the others resume.
 */
@Configuration
public class SweepJobConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SweepJobConfiguration.class);

    public static final String SWEEP = "sweep";
    public static final String CELL_STEP = "sweepCell";
    static final String CELL = "sweep.cell";
    static final String CELL_DIR = "sweep.cell.workdir";
    static final String CELL_PRESET = "sweep.cell.preset";
    static final String CELL_OVERRIDES = "sweep.cell.overrides";

    @Bean
    @StepScope
    public Partitioner sweepPartitioner(@Value("#{jobParameters['workdir']}") String root) {
        return gridSize -> {
            Path dir = Path.of(root);
            SweepGrid grid = SweepSpec.read(dir);
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (SweepGrid.Cell cell : grid.cells()) {
                ExecutionContext context = new ExecutionContext();
                context.putString(CELL, cell.name());
                context.putString(CELL_DIR, cell.workdir(dir).toString());
                context.putString(CELL_PRESET, grid.preset() == null ? "" : grid.preset());
                context.putString(CELL_OVERRIDES, String.join("\n", cell.overrides()));
                partitions.put(cell.name(), context);
            }
            return partitions;
        };
    }

    @Bean
    @StepScope
    public Tasklet sweepCellTasklet(@Value("#{stepExecutionContext['" + CELL + "']}") String cell,
                                    @Value("#{stepExecutionContext['" + CELL_DIR + "']}") String workdir,
                                    @Value("#{stepExecutionContext['" + CELL_PRESET + "']}") String preset,
                                    @Value("#{stepExecutionContext['" + CELL_OVERRIDES + "']}") String overrides) {
        return (contribution, chunk) -> {
            if (StopRequest.requested()) {
                // a stop was asked for while an earlier cell ran or between cells: start no new one
                return stopped(contribution, chunk, cell);
            }
            ResolvedConfig config = ConfigLoader.load(preset.isEmpty() ? null : preset,
                    overrides.isEmpty() ? List.of() : Arrays.asList(overrides.split("\n")));
            // a thread of its own: the step's thread is inside the chunk's transaction scope, and a job repository
            // refuses to launch a job from within a transaction
            var launch = new java.util.concurrent.FutureTask<>(() -> runWhenFree(Workdir.of(workdir), config));
            Thread thread = new Thread(launch, "cell-" + cell);
            thread.start();
            Outcome outcome = launch.get();
            if (outcome.kind() == Outcome.Kind.STOPPED) {
                return stopped(contribution, chunk, cell);
            }
            if (outcome.kind() != Outcome.Kind.COMPLETED && outcome.kind() != Outcome.Kind.ALREADY_COMPLETE) {
                throw new IllegalStateException("cell " + cell + ": " + outcome.message());
            }
            contribution.incrementWriteCount(1);
            return RepeatStatus.FINISHED;
        };
    }

    /**
     * Ends the cell's step STOPPED (Spring Batch's stop: the step is marked terminate-only and its status becomes
     * STOPPED, and so do the partitioned step and the sweep), so that running the sweep again resumes this cell.
     */
    private static RepeatStatus stopped(StepContribution contribution, ChunkContext chunk, String cell) {
        log.info("cell {}: stopped on request ({}); run the sweep again to continue", cell, StopRequest.reason());
        contribution.setExitStatus(ExitStatus.STOPPED);
        chunk.getStepContext().getStepExecution().setTerminateOnly();
        return RepeatStatus.FINISHED;
    }

    /**
     * {@link #runOrResume}, after waiting for any live process that still holds the cell's workdir: a worker that
     * kept running the cell after the manager that sent it lost the job database (docs/scaling-out.md, "Failures").
     * The lock is the kernel's, so a held lock always means a live process that will finish or fail.
     */
    static Outcome runWhenFree(Workdir workdir, ResolvedConfig config) throws InterruptedException {
        long waitedSince = System.nanoTime();
        long lastLog = 0;
        while (true) {
            Outcome outcome = runOrResume(workdir, config);
            if (outcome.kind() != Outcome.Kind.LOCKED) {
                return outcome;
            }
            long waited = (System.nanoTime() - waitedSince) / 1_000_000_000L;
            if (lastLog == 0 || waited - lastLog >= 60) {
                log.info("cell {}: {}; waiting for that run to end ({} s so far)", workdir.root(), outcome.message(),
                        waited);
                lastLog = Math.max(1, waited);
            }
            Thread.sleep(2000);
        }
    }

    /** A new cell runs; a cell that ran before resumes (or is found COMPLETED). */
    static Outcome runOrResume(Workdir workdir, ResolvedConfig config) {
        if (!Files.exists(workdir.resolvedConfig())) {
            return PipelineLauncher.run(workdir, config);
        }
        if (!ConfigLoader.read(workdir.resolvedConfig()).hash().equals(config.hash())) {
            return new Outcome(Outcome.Kind.REFUSED, workdir.root() + " holds another experiment than this cell's");
        }
        Outcome resumed = PipelineLauncher.restart(workdir);
        return resumed.kind() == Outcome.Kind.REFUSED ? PipelineLauncher.run(workdir, config) : resumed;
    }

    /**
     * The cell's tasklet holds no database transaction: it runs a whole pipeline for minutes, and must not keep a
     * pooled connection of the shared database busy all that time.
     */
    @Bean
    public Step sweepCellStep(JobRepository jobRepository, Tasklet sweepCellTasklet) {
        return new StepBuilder(CELL_STEP, jobRepository)
                .tasklet(sweepCellTasklet, new ResourcelessTransactionManager())
                .listener(new FailureReasonListener())
                .build();
    }

    @Bean
    public Step sweepCellsStep(JobRepository jobRepository, Partitioner sweepPartitioner, Step sweepCellStep) {
        // without workers, one cell at a time: each cell's pipeline already uses every core
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("cell-");
        executor.setConcurrencyLimit(1);
        return new StepBuilder("sweepCells", jobRepository)
                .partitioner(CELL_STEP, sweepPartitioner)
                .partitionHandler(DistributedPartitionHandler.of(sweepCellStep, executor, jobRepository, false))
                .listener(new FailureReasonListener())
                .build();
    }

    @Bean
    public Job sweepJob(JobRepository jobRepository, Step sweepCellsStep) {
        return new JobBuilder(SWEEP, jobRepository).listener(new HostListener(jobRepository)).start(sweepCellsStep)
                .build();
    }
}
