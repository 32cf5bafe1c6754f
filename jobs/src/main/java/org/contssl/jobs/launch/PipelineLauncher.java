package org.contssl.jobs.launch;

import java.nio.file.Files;
import java.util.Optional;
import org.contssl.jobs.config.JobsContext;
import org.contssl.jobs.pipeline.PipelineJobConfiguration;
import org.contssl.jobs.status.StatusSnapshots;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.failure.FailureReasonListener;
import org.contssl.steps.failure.ResourceError;
import org.contssl.steps.stop.StopRequest;
import org.contssl.steps.outputs.JobOutputs;
import org.contssl.steps.workdir.Workdir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Starts and restarts the pipeline of one workdir. The workdir lock guarantees that at most one live
 * process works on an experiment; a STARTED execution found while we hold the lock is therefore the
 * remnant of a crash (kill -9, power loss) and is recovered before the restart.
 */
public final class PipelineLauncher {

    private static final Logger log = LoggerFactory.getLogger(PipelineLauncher.class);

    private PipelineLauncher() {
    }

    /** Identifying parameters of the pipeline: one job instance per (workdir, experiment). */
    static JobParameters parameters(Workdir workdir, ResolvedConfig config) {
        return new JobParametersBuilder()
                .addString("workdir", workdir.root().toString())
                .addString("config.hash", config.hash())
                .toJobParameters();
    }

    public static Outcome run(Workdir workdir, ResolvedConfig config) {
        return run(workdir, config, false);
    }

    /** As {@link #run(Workdir, ResolvedConfig)}; {@code strict} refuses a run the free disk space cannot hold. */
    public static Outcome run(Workdir workdir, ResolvedConfig config, boolean strict) {
        Optional<WorkdirLock> lock = WorkdirLock.tryAcquire(workdir.lockFile());
        if (lock.isEmpty()) {
            return locked(workdir);
        }
        try (WorkdirLock held = lock.get()) {
            if (Files.exists(workdir.resolvedConfig())) {
                ResolvedConfig previous = ConfigLoader.read(workdir.resolvedConfig());
                if (!previous.hash().equals(config.hash())) {
                    return new Outcome(Outcome.Kind.REFUSED, "workdir " + workdir.root() + " holds another experiment"
                            + " (config " + previous.hash() + ", this one is " + config.hash()
                            + "): use a new --workdir, or `restart --workdir " + workdir.root() + "` to resume it");
                }
            }
            Optional<Outcome> space = checkSpace(workdir, config, strict);
            if (space.isPresent()) {
                return space.get();
            }
            ConfigLoader.write(config, workdir.resolvedConfig());
            try (AnnotationConfigApplicationContext context = JobsContext.pipeline(workdir, config)) {
                JobRepository repository = context.getBean(JobRepository.class);
                JobParameters params = parameters(workdir, config);
                JobExecution last = repository.getLastJobExecution(PipelineJobConfiguration.PIPELINE, params);
                if (last != null) {
                    if (last.getStatus() == BatchStatus.COMPLETED) {
                        return alreadyComplete(workdir, last);
                    }
                    return new Outcome(Outcome.Kind.REFUSED, "this experiment already ran in " + workdir.root()
                            + " and did not finish (" + last.getStatus() + "): resume it with `./run.sh restart"
                            + " --workdir " + workdir.root() + "`");
                }
                return launch(context, workdir, params);
            }
        }
    }

    public static Outcome restart(Workdir workdir) {
        return restart(workdir, false);
    }

    /** As {@link #restart(Workdir)}; {@code strict} refuses a restart the free disk space cannot hold. */
    public static Outcome restart(Workdir workdir, boolean strict) {
        if (!Files.exists(workdir.resolvedConfig())) {
            return new Outcome(Outcome.Kind.REFUSED, "nothing to restart in " + workdir.root()
                    + ": no experiment was started there (use `./run.sh run --workdir " + workdir.root() + "`)");
        }
        Optional<WorkdirLock> lock = WorkdirLock.tryAcquire(workdir.lockFile());
        if (lock.isEmpty()) {
            return locked(workdir);
        }
        try (WorkdirLock held = lock.get()) {
            ResolvedConfig config = ConfigLoader.read(workdir.resolvedConfig());
            Optional<Outcome> space = checkSpace(workdir, config, strict);
            if (space.isPresent()) {
                return space.get();
            }
            try (AnnotationConfigApplicationContext context = JobsContext.pipeline(workdir, config)) {
                JobRepository repository = context.getBean(JobRepository.class);
                JobParameters params = parameters(workdir, config);
                JobExecution last = repository.getLastJobExecution(PipelineJobConfiguration.PIPELINE, params);
                if (last == null) {
                    // the experiment is recorded (config.resolved.yaml) but not its pipeline: killed before the first
                    // job, or a damaged job database moved away. A new pipeline reuses what the workdir holds: lists
                    // are reused, pretraining resumes from its newest valid checkpoint, finished probes are kept.
                    log.info("no pipeline recorded in {}: starting it; finished outputs in the workdir are reused",
                            workdir.root());
                    return launch(context, workdir, params);
                }
                if (last.getStatus() == BatchStatus.COMPLETED) {
                    return alreadyComplete(workdir, last);
                }
                int recovered = recoverStale(repository, context.getBean(JobOperator.class), workdir);
                if (recovered > 0) {
                    log.info("recovered {} execution(s) left STARTED by a process that died or UNKNOWN by a lost job database", recovered);
                }
                return launch(context, workdir, params);
            }
        }
    }

    /** Warns about (or with {@code strict} refuses) a run the free disk space cannot hold. */
    private static Optional<Outcome> checkSpace(Workdir workdir, ResolvedConfig config, boolean strict) {
        Optional<String> shortfall = DiskSpace.shortfall(workdir, config);
        if (shortfall.isEmpty()) {
            return Optional.empty();
        }
        if (strict) {
            return Optional.of(new Outcome(Outcome.Kind.RESOURCE, "not started: " + shortfall.get()
                    + "; free space, use another --workdir, or drop --strict to run until the disk fills"));
        }
        log.warn("{}: the run stops with exit code 8 when the disk fills and `restart` resumes once there is space"
                + " (--strict refuses to start instead)", shortfall.get());
        System.err.println("warning: " + shortfall.get() + " (--strict refuses to start)");
        return Optional.empty();
    }

    /**
     * Marks every execution of this workdir still flagged as running FAILED: safe because we hold the workdir lock.
     * Only this workdir's: a shared job repository (--db) also holds other experiments' live executions.
     */
    static int recoverStale(JobRepository repository, JobOperator operator, Workdir workdir) {
        int count = 0;
        for (String name : repository.getJobNames()) {
            for (JobExecution running : repository.findRunningJobExecutions(name)) {
                if (!workdir.root().toString().equals(running.getJobParameters().getString("workdir"))) {
                    continue;
                }
                operator.recover(running);
                count++;
            }
        }
        return count + recoverUnknown(repository, workdir);
    }

    /**
     * Marks this workdir's executions left UNKNOWN (and steps left STARTED under an ended execution) FAILED. Spring
     * Batch records UNKNOWN when it could not save a step's outcome — the job database went away mid-commit (a PostgreSQL restart) — and refuses to restart from it,
     * because it cannot tell what was committed. contssl's steps resume from their files (checkpoints, lists, probe
     * results with their checksums), never from a commit count, so running such a step again is exactly a restart
     * after a crash (docs/scaling-out.md, "Failures").
     */
    public static int recoverUnknown(JobRepository repository, Workdir workdir) {
        int count = 0;
        for (String name : repository.getJobNames()) {
            for (var instance : repository.findJobInstances(name)) {
                JobExecution last = repository.getLastJobExecution(instance);
                if (last == null || !workdir.root().toString().equals(last.getJobParameters().getString("workdir"))) {
                    continue;
                }
                boolean ended = !last.getStatus().isRunning();
                for (StepExecution step : last.getStepExecutions()) {
                    // a step whose last commit was lost can also stay STARTED under an execution that ended FAILED
                    // (the rollback itself failed); Spring Batch then refuses the restart as "already running"
                    boolean stranded = ended && step.getStatus().isRunning();
                    if (step.getStatus() == BatchStatus.UNKNOWN || stranded) {
                        if (step.getEndTime() == null) {
                            step.setEndTime(java.time.LocalDateTime.now());
                        }
                        step.setStatus(BatchStatus.FAILED);
                        step.setExitStatus(step.getExitStatus().and(ExitStatus.FAILED));
                        repository.update(step);
                        count++;
                    }
                }
                if (last.getStatus() == BatchStatus.UNKNOWN) {
                    last.setStatus(BatchStatus.FAILED);
                    last.setExitStatus(last.getExitStatus().and(ExitStatus.FAILED));
                    repository.update(last);
                    count++;
                }
            }
        }
        return count;
    }

    private static Outcome launch(AnnotationConfigApplicationContext context, Workdir workdir, JobParameters params) {
        JobOperator operator = context.getBean(JobOperator.class);
        Job pipeline = context.getBean("pipelineJob", Job.class);
        JobRepository repository = context.getBean(JobRepository.class);
        long grace = context.getBean(RunConfig.class).environment().stopGraceS();
        try (StopSignals signals = StopSignals.install(grace);
             StatusSnapshots snapshots = StatusSnapshots.start(repository, workdir)) {
            JobExecution execution = operator.start(pipeline, params);
            snapshots.writeNow();
            return outcome(workdir, execution);
        } catch (Exception e) {
            Optional<String> resource = ResourceError.describe(e);
            if (resource.isPresent()) {
                return new Outcome(Outcome.Kind.RESOURCE, resource.get() + resumeHint(workdir));
            }
            throw new IllegalStateException("cannot start the pipeline: " + e.getMessage(), e);
        }
    }

    private static Outcome outcome(Workdir workdir, JobExecution execution) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return new Outcome(Outcome.Kind.COMPLETED, "pipeline COMPLETED; report: " + reportPath(workdir, execution));
        }
        if (execution.getStatus() == BatchStatus.STOPPED) {
            return new Outcome(Outcome.Kind.STOPPED, "pipeline STOPPED on request (" + StopRequest.reason() + ") in "
                    + stoppedWhere(execution) + "; continue it with `./run.sh restart --workdir " + workdir.root()
                    + "`");
        }
        String reason = null;
        boolean resource = false;
        boolean damaged = false;
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isUnsuccessful() && step.getExecutionContext().containsKey(FailureReasonListener.KEY)) {
                reason = step.getExecutionContext().getString(FailureReasonListener.KEY);
                resource = step.getExecutionContext().containsKey(FailureReasonListener.RESOURCE);
                damaged = step.getExecutionContext().containsKey(FailureReasonListener.DAMAGED);
            }
        }
        String line = reason == null ? execution.getExitStatus().getExitDescription().lines().findFirst().orElse("")
                : reason;
        if (resource) {
            return new Outcome(Outcome.Kind.RESOURCE, line + resumeHint(workdir));
        }
        if (damaged) {
            return new Outcome(Outcome.Kind.DAMAGED, line);
        }
        return new Outcome(Outcome.Kind.FAILED, "pipeline " + execution.getStatus() + ": " + line
                + " (details: ./run.sh status --workdir " + workdir.root() + "; resume: ./run.sh restart"
                + " --workdir " + workdir.root() + ")");
    }

    private static String resumeHint(Workdir workdir) {
        return " (once fixed: ./run.sh restart --workdir " + workdir.root() + ")";
    }

    /** The child job that stopped (its step in the pipeline), for the one-line message. */
    private static String stoppedWhere(JobExecution execution) {
        return execution.getStepExecutions().stream().filter(s -> s.getStatus() == BatchStatus.STOPPED)
                .map(StepExecution::getStepName).findFirst().map(n -> "job " + n).orElse("the pipeline");
    }

    private static String reportPath(Workdir workdir, JobExecution execution) {
        Object report = execution.getExecutionContext().get(JobOutputs.REPORT);
        return report != null ? report.toString() : workdir.reportsDir().resolve("report.html").toString();
    }

    private static Outcome alreadyComplete(Workdir workdir, JobExecution last) {
        return new Outcome(Outcome.Kind.ALREADY_COMPLETE, "this experiment already COMPLETED in " + workdir.root()
                + "; report: " + reportPath(workdir, last) + " (use a new --workdir to run again)");
    }

    private static Outcome locked(Workdir workdir) {
        return new Outcome(Outcome.Kind.LOCKED, "workdir " + workdir.root() + " is in use by process "
                + WorkdirLock.holder(workdir.lockFile()) + " (a run is still going): wait for it, follow it with"
                + " `./run.sh status --workdir " + workdir.root() + "`, or use another --workdir");
    }
}
