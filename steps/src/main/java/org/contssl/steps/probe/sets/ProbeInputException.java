package org.contssl.steps.probe.sets;

import java.nio.file.Path;

/**
 * A bad user probe list: one line naming the file (and line) and what to do. Found before any job starts, the CLI
 * prints it and exits with its bad-input code (6).
 */
public final class ProbeInputException extends RuntimeException {

    private final Path file;
    private final long line;

    /** @param line 1-based line of a text list, or -1 when the problem concerns the whole file or folder */
    public ProbeInputException(Path file, long line, String what, String todo) {
        super(file + ": " + (line > 0 ? "line " + line + ": " : "") + what + (todo.isEmpty() ? "" : " — " + todo));
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    public long line() {
        return line;
    }
}
