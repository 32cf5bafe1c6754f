package org.contssl.jobs.launch;

/**
 * What a launch did and the one line printed for the user. The launcher says what happened; turning that into a
 * process exit code is the command line's business ({@code cli.Console}), so this package never depends on the CLI.
 */
public record Outcome(Kind kind, String message) {

    /** The possible results of starting or restarting a workdir's pipeline. */
    public enum Kind {
        /** The pipeline ran to COMPLETED. */
        COMPLETED,
        /** Nothing was started: the request does not fit the workdir (another experiment, nothing to restart). */
        REFUSED,
        /** The pipeline ran and did not complete; the message carries the reason. */
        FAILED,
        /** This experiment had already COMPLETED in the workdir; nothing was run. */
        ALREADY_COMPLETE,
        /** Another live process holds the workdir. */
        LOCKED,
        /** Stopped on request (SIGTERM/SIGINT) at a safe point; restartable. */
        STOPPED,
        /** A resource ran out (disk, file descriptors, memory) or the workdir is read-only; restartable once fixed. */
        RESOURCE,
        /** A state file no longer matches the checksum recorded when it was written; the message names it. */
        DAMAGED
    }
}
