package org.contssl.steps.report;

import org.contssl.reports.render.ReportFiles;
import org.contssl.reports.render.ReportWriter;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.outputs.JobOutputs;
import org.contssl.steps.workdir.Workdir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** The {@code report} job: renders report.html/.md, results.json/.csv and the charts from stored results. */
public class ReportTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);
    private final ResolvedConfig config;
    private final Workdir workdir;
    private final JobRepository repository;

    public ReportTasklet(ResolvedConfig config, Workdir workdir, JobRepository repository) {
        this.config = config;
        this.workdir = workdir;
        this.repository = repository;
    }

    public static ReportFiles render(ResolvedConfig config, Workdir workdir, JobRepository repository) {
        return new ReportWriter().write(RunResultsCollector.collect(config, workdir, repository), workdir.root());
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ReportFiles files = render(config, workdir, repository);
        log.info("report: {}", files.html());
        contribution.incrementWriteCount(files.charts().size() + 4);
        JobOutputs.publish(chunkContext.getStepContext().getStepExecution(), JobOutputs.REPORT, files.html().toString());
        return RepeatStatus.FINISHED;
    }
}
