package org.contssl.jobs.cli;

import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.contssl.jobs.config.JobDatabase;
import org.contssl.jobs.config.JobsContext;
import org.contssl.jobs.launch.WorkdirLock;
import org.contssl.jobs.status.ExecutionHistory;
import org.contssl.jobs.status.StatusSnapshots;
import org.contssl.jobs.status.StatusText;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Job and step executions of a workdir (from its job database): status, counts, times, reasons;"
                + " with --db and no --workdir, every experiment of the shared repository.",
        footer = {"", ExitCodes.HELP})
public class StatusCommand implements Callable<Integer> {

    @Option(names = "--workdir", description = "Workdir to show; without it and with --db: every experiment of the"
            + " shared job repository, one line each.")
    String workdir;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (workdir == null) {
            return SharedStatus.print(json);
        }
        Workdir dir = Workdir.of(workdir);
        if (JobDatabase.shared()) {
            return print(dir, sharedHistory(dir), null);
        }
        if (!Files.exists(dir.databaseFile())) {
            System.err.println("error: no job database in " + dir.root() + " (nothing has run there)");
            return ExitCodes.BAD_INPUT;
        }
        ExecutionHistory history;
        String note = null;
        Optional<WorkdirLock> lock = WorkdirLock.tryAcquire(dir.lockFile());
        if (lock.isEmpty()) {
            // the live run owns the database file; show its latest snapshot instead
            boolean snapshot = Files.exists(StatusSnapshots.file(dir));
            history = snapshot ? StatusSnapshots.readSnapshot(StatusSnapshots.file(dir))
                    : new ExecutionHistory(java.util.List.of());
            note = "running in process " + WorkdirLock.holder(dir.lockFile()) + (snapshot ? " (snapshot of "
                    + Files.getLastModifiedTime(StatusSnapshots.file(dir)) + ")" : " (no snapshot yet)");
        } else {
            try (WorkdirLock held = lock.get();
                 AnnotationConfigApplicationContext context = JobsContext.repository(dir)) {
                history = ExecutionHistory.read(context.getBean(JobRepository.class));
            }
        }
        return print(dir, history, note);
    }

    /**
     * With --db the workdir's executions are in the shared repository (its H2 file does not exist). They are read
     * without the workdir's lock: PostgreSQL serves readers next to a live run, so its current state shows.
     */
    private static ExecutionHistory sharedHistory(Workdir dir) {
        String root = dir.root().toString();
        try (AnnotationConfigApplicationContext context = JobsContext.repository(dir)) {
            JobRepository repository = context.getBean(JobRepository.class);
            return new ExecutionHistory(ExecutionHistory.read(repository).jobs().stream()
                    .filter(j -> root.equals(repository.getJobExecution(j.executionId()).getJobParameters()
                            .getString("workdir")))
                    .toList());
        }
    }

    private int print(Workdir dir, ExecutionHistory history, String note) throws Exception {
        if (history.jobs().isEmpty() && JobDatabase.shared()) {
            System.err.println("error: the shared job repository has no execution in " + dir.root());
            return ExitCodes.BAD_INPUT;
        }
        if (json) {
            var out = new java.util.LinkedHashMap<String, Object>();
            out.put("workdir", dir.root().toString());
            out.put("live", note != null);
            out.put("jobs", history.jobs());
            System.out.println(StatusSnapshots.json().writeValueAsString(out));
        } else {
            if (note != null) {
                System.out.println(note);
            }
            System.out.print(StatusText.render(history));
        }
        return ExitCodes.OK;
    }
}
