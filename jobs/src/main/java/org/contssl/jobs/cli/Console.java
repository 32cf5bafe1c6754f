package org.contssl.jobs.cli;

import org.contssl.jobs.launch.Outcome;

/** Prints an outcome's one line where the user looks for it and returns its exit code. */
final class Console {

    private Console() {
    }

    static int report(Outcome outcome) {
        if (outcome.exitCode() == ExitCodes.OK) {
            System.out.println(outcome.message());
        } else {
            System.err.println((outcome.exitCode() == ExitCodes.ALREADY_COMPLETE ? "" : "error: ") + outcome.message());
        }
        return outcome.exitCode();
    }
}
