package org.contssl.jobs.cli;

import java.util.LinkedHashMap;
import org.contssl.jobs.config.JobDatabase;
import org.contssl.jobs.config.JobsContext;
import org.contssl.jobs.remote.PartitionTransport;
import org.contssl.jobs.status.RepositoryOverview;
import org.contssl.jobs.status.StatusSnapshots;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** {@code status --db URL}: every experiment and sweep of the shared repository, and the workers. */
final class SharedStatus {

    private SharedStatus() {
    }

    static int print(boolean json) throws Exception {
        if (!JobDatabase.shared()) {
            System.err.println("error: give --workdir DIR, or --db jdbc:postgresql://… to list a shared repository");
            return ExitCodes.USAGE;
        }
        try (AnnotationConfigApplicationContext context = JobsContext.repository(Workdir.of("."))) {
            var rows = RepositoryOverview.read(JobDatabase.pool(JobDatabase.sharedUrl()),
                    context.getBean(JobRepository.class));
            var workers = PartitionTransport.current().orElseThrow().registry().workers();
            if (json) {
                var out = new LinkedHashMap<String, Object>();
                out.put("db", JobDatabase.sharedUrl().replaceAll("password=[^&]*", "password=***"));
                out.put("experiments", rows);
                out.put("workers", workers);
                System.out.println(StatusSnapshots.json().writeValueAsString(out));
            } else {
                System.out.print(RepositoryOverview.render(rows));
                System.out.println();
                workers.forEach(w -> System.out.println("worker " + w.id() + ": " + w.busy() + "/" + w.threads()
                        + " busy, heartbeat " + w.heartbeat() + (w.alive() ? "" : " (stale: presumed dead)")));
            }
        }
        return ExitCodes.OK;
    }
}
