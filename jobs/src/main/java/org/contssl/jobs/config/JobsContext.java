package org.contssl.jobs.config;

import org.contssl.jobs.pipeline.ListsJobConfiguration;
import org.contssl.jobs.pipeline.PipelineJobConfiguration;
import org.contssl.jobs.pipeline.PretrainJobConfiguration;
import org.contssl.jobs.pipeline.ProbeJobConfiguration;
import org.contssl.jobs.pipeline.ReportJobConfiguration;
import org.contssl.jobs.pipeline.SubsampleJobConfiguration;
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

    /** Only the job repository: enough to read history (status, report regeneration). */
    public static AnnotationConfigApplicationContext repository(Workdir workdir) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Workdir.class, () -> workdir);
        context.register(BatchInfrastructure.class);
        context.refresh();
        return context;
    }
}
