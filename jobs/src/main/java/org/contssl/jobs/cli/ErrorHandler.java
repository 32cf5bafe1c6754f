package org.contssl.jobs.cli;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.contssl.steps.config.ConfigException;
import org.contssl.steps.failure.DamagedStateFile;
import org.contssl.steps.failure.FailureReason;
import org.contssl.steps.failure.ResourceError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Maps failures to one printed line and a distinct exit code. contssl's own exceptions carry user-facing
 * messages; anything else is a bug, whose stack trace goes to the log.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Optional<String> resource = ResourceError.describe(e);
        if (resource.isPresent()) {
            // not a bug: no stack trace, a distinct code, and the writes were atomic so `restart` can resume
            log.warn("resource failure", e);
            cli.getErr().println("error: " + resource.get());
            return ExitCodes.RESOURCE;
        }
        Optional<DamagedStateFile> file = DamagedStateFile.in(e);
        if (file.isPresent()) {
            log.warn("damaged state file", e);
            cli.getErr().println("error: " + file.get().getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Optional<String> damaged = DamagedDatabase.describe(e);
        if (damaged.isPresent()) {
            log.warn("damaged job database", e);
            cli.getErr().println("error: " + damaged.get());
            return ExitCodes.BAD_INPUT;
        }
        String line = FailureReason.of(e);
        if (e instanceof ConfigException) {
            cli.getErr().println("error: " + line);
            return ExitCodes.USAGE;
        }
        if (isBadInput(e)) {
            cli.getErr().println("error: " + line);
            return ExitCodes.BAD_INPUT;
        }
        log.error("unexpected failure", e);
        cli.getErr().println("internal error: " + line + " (stack trace in the log)");
        return ExitCodes.INTERNAL;
    }

    static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println("error: " + e.getMessage());
        cli.getErr().println("usage: " + cli.getCommandSpec().qualifiedName() + " --help");
        return ExitCodes.USAGE;
    }

    /** Input problems: our modules' typed input exceptions, or files that are not there. */
    private static boolean isBadInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.startsWith("org.contssl.") && (name.endsWith("FormatException") || name.endsWith("InputException")
                    || name.endsWith("DecodeException") || name.endsWith("CorruptedException")
                    || name.endsWith("StateException") || name.endsWith("CheckpointException"))) {
                return true;
            }
            if (t instanceof NoSuchFileException || t instanceof UncheckedIOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
