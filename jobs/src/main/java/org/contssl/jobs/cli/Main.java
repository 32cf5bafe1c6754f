package org.contssl.jobs.cli;

import picocli.CommandLine;

/** Entry point of the contssl CLI (launched by run.sh with the JVM flags Chronicle Map and DJL need). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new ContsslCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(ErrorHandler::usage);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }
}
