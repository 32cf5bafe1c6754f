package org.contssl.jobs.cli;

import org.contssl.jobs.config.JobDatabase;
import org.contssl.jobs.remote.DistributedPartitionHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "contssl", mixinStandardHelpOptions = true, version = "contssl 0.1.0",
        description = "Continuous self-supervised learning (single-pass SimSiam with replay buffers) as chained,"
                + " restartable Spring Batch jobs.",
        subcommands = {DemoCommand.class, RunCommand.class, RestartCommand.class, StatusCommand.class,
                ReportCommand.class, ListsCommand.class, BenchCommand.class, ParityCommand.class,
                PresetsCommand.class, PlanCommand.class, ExportCommand.class, WorkerCommand.class,
                SweepCommand.class, ReproduceCommand.class},
        footer = {"", ExitCodes.HELP})
public class ContsslCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public ContsslCommand() {
        // one command per parse: a previous command's --db (tests run several in one JVM) must not leak
        JobDatabase.use(null);
    }

    /** Inherited by every subcommand, so `run`, `restart`, `status`, `worker`, `sweep`… all take it. */
    @Option(names = "--db", scope = ScopeType.INHERIT, paramLabel = "URL", defaultValue = "${env:CONTSSL_DB}",
            description = "Shared job repository, jdbc:postgresql://HOST[:PORT]/DB (default: $CONTSSL_DB, else"
                    + " the H2 file in each workdir). See docs/scaling-out.md.")
    void db(String url) {
        JobDatabase.use(url);
    }

    /** Inherited like --db: the manager of a run or sweep, and a worker running sweep cells, all hand partitions out. */
    @Option(names = "--worker-wait", scope = ScopeType.INHERIT, paramLabel = "SECONDS",
            defaultValue = "${env:CONTSSL_WORKER_WAIT_S:-3}",
            description = "With --db: how long a partition request may wait for a worker before this process runs it"
                    + " itself when no worker has a free slot (default: $CONTSSL_WORKER_WAIT_S, else 3)."
                    + " See docs/scaling-out.md.")
    void workerWait(double seconds) {
        DistributedPartitionHandler.workerWait(seconds);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
