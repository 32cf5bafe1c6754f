package org.contssl.lists;

import java.nio.file.Path;

/**
 * Bad input to the lists module: a malformed list, labels file, IDX file, MNIST JSON, or an option that cannot work.
 * The message is always one line naming the file (and the record when there is one) and what to do about it, so the
 * CLI can print it as is (it exits with its bad-input code, 6).
 */
public final class ListFormatException extends RuntimeException {

    /** What is wrong; lets callers (and tests) branch without parsing the message. */
    public enum Problem {
        INVALID_UTF8,
        NUL_IN_PATH,
        EMPTY_RECORD,
        PATH_ESCAPES_BASE,
        SIZE_NOT_MULTIPLE,
        COUNT_EXCEEDS_FILE,
        LABELS_LENGTH,
        PATH_TOO_LONG,
        IDX_BAD_MAGIC,
        IDX_TRUNCATED,
        MNIST_JSON_INVALID,
        SIDECAR_INVALID,
        SIDECAR_MISMATCH,
        MISSING_FILE,
        BAD_OPTION,
        SOURCE_UNAVAILABLE,
        IO_ERROR
    }

    private final Problem problem;
    private final Path file;
    private final long record;

    public ListFormatException(Problem problem, Path file, long record, String what, String todo) {
        this(problem, file, record, what, todo, null);
    }

    public ListFormatException(Problem problem, Path file, long record, String what, String todo, Throwable cause) {
        super(oneLine(file, record, what, todo), cause);
        this.problem = problem;
        this.file = file;
        this.record = record;
    }

    /** For a problem that concerns a whole file rather than one record. */
    public static ListFormatException ofFile(Problem problem, Path file, String what, String todo) {
        return new ListFormatException(problem, file, -1, what, todo);
    }

    public Problem problem() {
        return problem;
    }

    public Path file() {
        return file;
    }

    /** The record index the problem was found at, or -1 when it concerns the whole file. */
    public long record() {
        return record;
    }

    private static String oneLine(Path file, long record, String what, String todo) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file).append(": ");
        }
        if (record >= 0) {
            sb.append("record ").append(record).append(": ");
        }
        sb.append(what);
        if (todo != null && !todo.isEmpty()) {
            sb.append(" — ").append(todo);
        }
        return printable(sb.toString());
    }

    /** Control characters (a newline inside a bad path, say) would break the one-line promise: escape them. */
    static String printable(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append(String.format("\\x%02x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
