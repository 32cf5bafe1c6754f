package org.contssl.jobs.cli;

import org.contssl.jobs.launch.Outcome;

/** Prints an outcome's one line where the user looks for it and returns its exit code. */
final class Console {

    private Console() {
    }

    static int report(Outcome outcome) {
        int code = exitCode(outcome.kind());
        if (code == ExitCodes.OK) {
            System.out.println(outcome.message());
        } else {
            System.err.println((code == ExitCodes.ALREADY_COMPLETE || code == ExitCodes.STOPPED ? "" : "error: ")
                    + outcome.message());
        }
        return code;
    }

    static int exitCode(Outcome.Kind kind) {
        return switch (kind) {
            case COMPLETED -> ExitCodes.OK;
            case REFUSED -> ExitCodes.USAGE;
            case FAILED -> ExitCodes.JOB_FAILED;
            case ALREADY_COMPLETE -> ExitCodes.ALREADY_COMPLETE;
            case LOCKED -> ExitCodes.LOCKED;
            case STOPPED -> ExitCodes.STOPPED;
            case RESOURCE -> ExitCodes.RESOURCE;
            case DAMAGED -> ExitCodes.BAD_INPUT;
        };
    }
}
