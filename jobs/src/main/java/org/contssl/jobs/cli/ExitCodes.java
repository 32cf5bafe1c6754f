package org.contssl.jobs.cli;

/** Process exit codes of every contssl command (also listed in {@code --help} and the README). */
public final class ExitCodes {
    public static final int OK = 0;
    /** An unexpected internal error (a bug): the stack trace is in the log. */
    public static final int INTERNAL = 1;
    /** Bad command line: unknown option, unknown config key, value out of range. */
    public static final int USAGE = 2;
    /** The job ran and FAILED; the one-line reason is printed, `status` shows the details, `restart` resumes. */
    public static final int JOB_FAILED = 3;
    /** Nothing to do: this experiment already COMPLETED in this workdir. */
    public static final int ALREADY_COMPLETE = 4;
    /** Another live process holds the workdir (a run is still going). */
    public static final int LOCKED = 5;
    /** An input file is missing or malformed (list, IDX, image folder, checkpoint); nothing was changed. */
    public static final int BAD_INPUT = 6;
    /** Stopped on request (SIGTERM/SIGINT) after a checkpoint; STOPPED in the job repository, `restart` continues. */
    public static final int STOPPED = 7;
    /** A resource ran out (disk full, file descriptors, memory) or the workdir is read-only; fix it, then `restart`. */
    public static final int RESOURCE = 8;

    public static final String HELP = """
            Exit codes:
              0  success
              1  internal error (a bug; see the log)
              2  usage error (bad option, unknown config key, value out of range)
              3  job failed (reason printed; `status` for details, `restart` to resume)
              4  already complete (this experiment finished in this workdir)
              5  workdir locked by a running process
              6  bad or missing input file (nothing was changed)
              7  stopped on request (SIGTERM/SIGINT); `restart` continues it
              8  out of a resource (disk, file descriptors, memory) or read-only workdir; fix, then `restart`""";

    private ExitCodes() {
    }
}
