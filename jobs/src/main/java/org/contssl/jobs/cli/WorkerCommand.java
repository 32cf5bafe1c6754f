package org.contssl.jobs.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.contssl.jobs.config.JobDatabase;
import org.contssl.jobs.config.JobsContext;
import org.contssl.jobs.remote.PartitionTransport;
import org.contssl.jobs.remote.PartitionWorker;
import org.contssl.jobs.remote.WorkerSteps;
import org.contssl.jobs.sweep.SweepJobConfiguration;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run partitions for every experiment of a shared job repository: probe partitions and"
                + " sweep cells. Workdirs must be on a filesystem every machine sees at the same path.",
                "Stops on SIGTERM/Ctrl-C; a worker killed harder is noticed by its missing heartbeat and its"
                        + " partition runs again elsewhere. See docs/scaling-out.md."},
        footer = {"", ExitCodes.HELP})
public class WorkerCommand implements Callable<Integer> {

    @Option(names = "--threads", defaultValue = "1",
            description = "Partitions this worker runs at once (default: ${DEFAULT-VALUE}; one per device is best).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (!JobDatabase.shared() || threads < 1) {
            System.err.println("error: worker needs --db jdbc:postgresql://HOST/DB (or CONTSSL_DB) and --threads >= 1");
            return ExitCodes.USAGE;
        }
        PartitionTransport transport = PartitionTransport.current().orElseThrow();
        AnnotationConfigApplicationContext repository = JobsContext.repository(Workdir.of("."));
        WorkerSteps steps = new WorkerSteps(Map.of(
                "probePartition", JobsContext::probePartitions,
                SweepJobConfiguration.CELL_STEP, JobsContext::sweep));
        PartitionWorker worker = new PartitionWorker(transport, repository.getBean(JobRepository.class), steps,
                threads);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            steps.close();
            repository.close();
        }, "worker-stop"));
        worker.start();
        System.out.println("worker " + worker.id() + " running (" + threads + " thread(s)); Ctrl-C stops it");
        worker.awaitStop();
        return ExitCodes.OK;
    }
}
