package org.contssl.jobs.cli;

import picocli.CommandLine.Command;

@Command(name = "contssl", mixinStandardHelpOptions = true, version = "contssl 0.1.0",
        description = "Continuous self-supervised learning (single-pass SimSiam with replay buffers) as chained,"
                + " restartable Spring Batch jobs.",
        subcommands = {DemoCommand.class, RunCommand.class, RestartCommand.class, StatusCommand.class,
                ReportCommand.class, ListsCommand.class, BenchCommand.class, ParityCommand.class,
                PresetsCommand.class, PlanCommand.class, ExportCommand.class},
        footer = {"", ExitCodes.HELP})
public class ContsslCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
