package org.contssl.jobs.sweep;

import java.nio.file.Path;
import java.util.Optional;
import org.contssl.jobs.config.JobsContext;
import org.contssl.jobs.launch.Outcome;
import org.contssl.jobs.launch.PipelineLauncher;
import org.contssl.jobs.launch.StopSignals;
import org.contssl.jobs.launch.WorkdirLock;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.failure.FailureReasonListener;
import org.contssl.steps.stop.StopRequest;
import org.contssl.steps.workdir.Workdir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Starts, resumes and summarises a sweep. The sweep root holds {@code sweep.json} (the grid), {@code cells/NAME/}
 * (one workdir per cell) and {@code compare/} (the comparison written at the end). Its lock file keeps two managers
 * off one sweep; the cells have their own workdir locks.
 */
public final class SweepLauncher {

    private static final Logger log = LoggerFactory.getLogger(SweepLauncher.class);

    private SweepLauncher() {
    }

    /** Runs {@code grid} under {@code root}; a root created for another grid is refused. */
    public static Outcome run(Path root, SweepGrid grid) {
        Workdir dir = new Workdir(root);
        dir.create(dir.root());
        if (SweepSpec.exists(dir.root()) && !SweepSpec.read(dir.root()).equals(grid)) {
            return new Outcome(Outcome.Kind.REFUSED, dir.root() + " holds another sweep (" + SweepSpec.file(dir.root())
                    + "): use a new --root, or `./run.sh sweep --root " + dir.root() + "` alone to resume it");
        }
        for (SweepGrid.Cell cell : grid.cells()) {
            ConfigLoader.load(grid.preset(), cell.overrides()); // a bad key fails now, not in the third cell
        }
        SweepSpec.write(dir.root(), grid);
        return resume(root);
    }

    /** Runs the unfinished cells of the sweep in {@code root}, then writes the comparison. */
    public static Outcome resume(Path root) {
        Workdir dir = new Workdir(root);
        if (!SweepSpec.exists(dir.root())) {
            return new Outcome(Outcome.Kind.REFUSED, "no sweep in " + dir.root() + " (no sweep.json)");
        }
        SweepGrid grid = SweepSpec.read(dir.root());
        Optional<WorkdirLock> lock = WorkdirLock.tryAcquire(dir.lockFile());
        if (lock.isEmpty()) {
            return new Outcome(Outcome.Kind.LOCKED, "sweep " + dir.root() + " is managed by process "
                    + WorkdirLock.holder(dir.lockFile()));
        }
        try (WorkdirLock held = lock.get();
             AnnotationConfigApplicationContext context = JobsContext.sweep(dir)) {
            JobRepository repository = context.getBean(JobRepository.class);
            JobOperator operator = context.getBean(JobOperator.class);
            JobParameters params = new JobParametersBuilder()
                    .addString("workdir", dir.root().toString())
                    .addString("sweep.hash", Integer.toHexString(grid.describe().hashCode()))
                    .toJobParameters();
            JobExecution last = repository.getLastJobExecution(SweepJobConfiguration.SWEEP, params);
            JobExecution execution = last;
            if (last == null || last.getStatus() != BatchStatus.COMPLETED) {
                if (last != null && last.getStatus().isRunning()) {
                    // we hold the root's lock: the manager that left it running is gone
                    log.info("sweep: recovering the execution left {} by a manager that died", last.getStatus());
                    operator.recover(last);
                }
                // the sweep's own executions a lost database left UNKNOWN (its cells recover their own)
                PipelineLauncher.recoverUnknown(repository, dir);
                // SIGTERM/SIGINT stop the sweep as they stop a run (docs/failures.md): the cell in flight stops at
                // its next safe point, no further cell starts, and running the sweep again continues
                try (StopSignals signals = StopSignals.install(graceSeconds(grid))) {
                    execution = operator.start(context.getBean("sweepJob", Job.class), params);
                }
            }
            SweepSummary summary = SweepSummary.write(dir.root(), grid);
            String line = summary.completed() + "/" + grid.cells().size() + " cells COMPLETED; comparison: "
                    + summary.markdown();
            if (execution.getStatus() == BatchStatus.COMPLETED) {
                return new Outcome(Outcome.Kind.COMPLETED, "sweep COMPLETED, " + line);
            }
            if (execution.getStatus() == BatchStatus.STOPPED) {
                return new Outcome(Outcome.Kind.STOPPED, "sweep STOPPED on request (" + StopRequest.reason() + "), "
                        + line + " (continue: run the same command again, or ./run.sh sweep --root " + dir.root()
                        + ")");
            }
            return new Outcome(Outcome.Kind.FAILED, "sweep " + execution.getStatus() + ", " + line
                    + firstReason(repository.getJobExecution(execution.getId())) + " (resume: ./run.sh sweep --root "
                    + dir.root() + ")");
        } catch (Exception e) {
            throw new IllegalStateException("sweep " + dir.root() + ": " + e.getMessage(), e);
        }
    }

    /** The cells' {@code environment.stop_grace_s} (the first cell's; a grid rarely varies it). */
    private static long graceSeconds(SweepGrid grid) {
        return ConfigLoader.load(grid.preset(), grid.cells().get(0).overrides()).config().environment().stopGraceS();
    }

    /** The one-line reason of the first cell that failed, for the sweep's own line. */
    private static String firstReason(JobExecution execution) {
        String generic = "";
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isUnsuccessful() && step.getExecutionContext().containsKey(FailureReasonListener.KEY)) {
                String line = "; first failure: " + step.getExecutionContext().getString(FailureReasonListener.KEY);
                if (step.getStepName().contains(":")) {
                    return line; // a cell's own reason, rather than the partition handler's "unsuccessful step"
                }
                generic = generic.isEmpty() ? line : generic;
            }
        }
        return generic;
    }
}
