package org.contssl.jobs.launch;

/** What a command did, as the process exit code and the one line printed for the user. */
public record Outcome(int exitCode, String message) {
}
