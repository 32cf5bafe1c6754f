package org.contssl.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.contssl.jobs.config.JobsContext;
import org.contssl.jobs.launch.WorkdirLock;
import org.contssl.reports.compare.CompareReport;
import org.contssl.reports.render.ReportFiles;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.report.ReportTasklet;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Regenerate a workdir's report from its stored results (probe results, checkpoints, metrics,"
                + " job history), or put several runs side by side with --compare."},
        footer = {"", ExitCodes.HELP})
public class ReportCommand implements Callable<Integer> {

    @Option(names = "--workdir", description = "Workdir whose report to regenerate.")
    String workdir;

    @Option(names = "--compare", arity = "1..*", paramLabel = "DIR",
            description = "Workdirs to compare in the reference's table shape (Markdown and HTML).")
    List<String> compare = new ArrayList<>();

    @Option(names = "--out", description = "Where --compare writes compare.md/compare.html (default: current dir).")
    String out = ".";

    @Override
    public Integer call() throws Exception {
        if (!compare.isEmpty()) {
            CompareReport report = CompareReport.load(compare.stream().map(Path::of).toList());
            Path written = report.write(Path.of(out));
            System.out.print(report.markdown());
            System.out.println();
            System.out.println("compare report: " + written);
            return ExitCodes.OK;
        }
        if (workdir == null) {
            System.err.println("error: give --workdir DIR (regenerate) or --compare DIR... (side by side)");
            return ExitCodes.USAGE;
        }
        Workdir dir = Workdir.of(workdir);
        if (!Files.exists(dir.resolvedConfig())) {
            System.err.println("error: " + dir.root() + " holds no experiment (no config.resolved.yaml)");
            return ExitCodes.BAD_INPUT;
        }
        ResolvedConfig config = ConfigLoader.read(dir.resolvedConfig());
        Optional<WorkdirLock> lock = WorkdirLock.tryAcquire(dir.lockFile());
        if (lock.isEmpty()) {
            System.err.println("error: workdir " + dir.root() + " is in use by process "
                    + WorkdirLock.holder(dir.lockFile()) + "; regenerate the report when the run has finished");
            return ExitCodes.LOCKED;
        }
        try (WorkdirLock held = lock.get();
             AnnotationConfigApplicationContext context = JobsContext.repository(dir)) {
            ReportFiles files = ReportTasklet.render(config, dir, context.getBean(JobRepository.class));
            System.out.println("report: " + files.html());
            System.out.println("        " + files.markdown());
            System.out.println("        " + files.json());
        }
        return ExitCodes.OK;
    }
}
