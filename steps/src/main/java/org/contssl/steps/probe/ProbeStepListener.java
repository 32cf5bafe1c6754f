package org.contssl.steps.probe;

import org.contssl.model.Engines;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.outputs.JobOutputs;
import org.contssl.steps.workdir.Workdir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Fixes the engine's threads before any partition runs, so that (intra-op threads × parallel partitions) never
 * exceeds the cores, and publishes the results directory when every partition completed.
 */
public class ProbeStepListener implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ProbeStepListener.class);
    private final RunConfig config;
    private final Workdir workdir;

    public ProbeStepListener(RunConfig config, Workdir workdir) {
        this.config = config;
        this.workdir = workdir;
    }

    /** Partitions run in parallel: the configured workers, capped so threads × workers ≤ cores. */
    public static int parallelPartitions(RunConfig config) {
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(config.environment().workers(), cores / config.environment().threads()));
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        Engines.Info engine = Engines.configure(config.environment().threads(), 1);
        Engines.useDevice(config.environment().device());
        int parallel = parallelPartitions(config);
        if (parallel < config.environment().workers()) {
            log.info("probe: {} partition(s) in parallel instead of environment.workers={} ({} cores, {} intra-op"
                    + " threads each)", parallel, config.environment().workers(),
                    Runtime.getRuntime().availableProcessors(), engine.intraOpThreads());
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() == BatchStatus.COMPLETED) {
            JobOutputs.publish(stepExecution, JobOutputs.PROBE_RESULTS, workdir.probesDir().toString());
        }
        return null;
    }
}
