package org.contssl.jobs.config;

import org.contssl.jobs.pipeline.ListsJobConfiguration;
import org.contssl.jobs.pipeline.PipelineJobConfiguration;
import org.contssl.jobs.pipeline.PretrainJobConfiguration;
import org.contssl.jobs.pipeline.ProbeJobConfiguration;
import org.contssl.jobs.pipeline.ReportJobConfiguration;
import org.contssl.jobs.pipeline.SubsampleJobConfiguration;
import org.contssl.jobs.sweep.SweepJobConfiguration;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.workdir.Workdir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** Builds the Spring context of one CLI command: plain Spring (no Boot) starts fast and suits a multi-command CLI. */
public final class JobsContext {

    private JobsContext() {
    }

    /** Everything needed to run the pipeline of one experiment. */
    public static AnnotationConfigApplicationContext pipeline(Workdir workdir, ResolvedConfig config) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Workdir.class, () -> workdir);
        context.registerBean(ResolvedConfig.class, () -> config);
        context.registerBean(RunConfig.class, config::config);
        context.register(BatchInfrastructure.class, ListsJobConfiguration.class, SubsampleJobConfiguration.class,
                PretrainJobConfiguration.class, ProbeJobConfiguration.class, ReportJobConfiguration.class,
                PipelineJobConfiguration.class);
        context.refresh();
        context.registerShutdownHook();
        return context;
    }

    /** What a worker needs to run probe partitions of one experiment: the repository and the probe step. */
    public static AnnotationConfigApplicationContext probePartitions(Workdir workdir) {
        ResolvedConfig config = ConfigLoader.read(workdir.resolvedConfig());
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Workdir.class, () -> workdir);
        context.registerBean(ResolvedConfig.class, () -> config);
        context.registerBean(RunConfig.class, config::config);
        context.register(BatchInfrastructure.class, ProbeJobConfiguration.class);
        context.refresh();
        return context;
    }

    /** A sweep (its job, and the cell step a worker runs) whose root directory is {@code root}. */
    public static AnnotationConfigApplicationContext sweep(Workdir root) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Workdir.class, () -> root);
        context.register(BatchInfrastructure.class, SweepJobConfiguration.class);
        context.refresh();
        return context;
    }

    /** Only the job repository: enough to read history (status, report regeneration). */
    public static AnnotationConfigApplicationContext repository(Workdir workdir) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Workdir.class, () -> workdir);
        context.register(BatchInfrastructure.class);
        context.refresh();
        return context;
    }
}
