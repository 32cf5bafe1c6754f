package org.contssl.steps.failure;

import java.nio.file.FileSystemException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises failures that are not bugs but an exhausted or refused resource — disk full, out of file
 * descriptors, out of (heap, direct or engine) memory, a read-only workdir — anywhere in an exception chain, and
 * words them as one line naming the resource and the path (docs/failures.md). Writes are atomic throughout, so
 * such a failure never leaves a file a restart would trust half-written; the line says what to fix.
 */
public final class ResourceError {

    private static final Pattern PATH = Pattern.compile("(/[^\\s:,;()'\"]+)");

    private ResourceError() {
    }

    /** The kinds this class knows, with the words shown and the remedy. */
    private enum Kind {
        DISK_FULL("disk full", "free space on that file system (or move the workdir)"),
        READ_ONLY("read-only file system", "make the workdir writable"),
        FILE_DESCRIPTORS("out of file descriptors", "raise the limit (ulimit -n) or lower environment.workers"),
        MEMORY("out of memory", "give the JVM more memory (-Xmx / -XX:MaxDirectMemorySize in run.sh) or lower"
                + " optim.batch_size / environment.workers"),
        MAPPED_FILE("a memory-mapped file could not grow (disk full?)", "free space on that file system");

        final String words;
        final String remedy;

        Kind(String words, String remedy) {
            this.words = words;
            this.remedy = remedy;
        }
    }

    /** The one-line description if the chain holds a resource failure, else empty (then it is a bug or an input). */
    public static Optional<String> describe(Throwable failure) {
        Kind kind = null;
        String detail = null;
        String path = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            Kind k = classify(t, message);
            if (k != null && kind == null) {
                kind = k;
                detail = t instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                        : message.lines().findFirst().orElse("").trim();
            }
            if (t instanceof FileSystemException fs && fs.getFile() != null && path == null) {
                path = fs.getFile();
            }
            if (path == null) {
                Matcher m = PATH.matcher(message);
                if (m.find()) {
                    path = m.group(1);
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (kind == null) {
            return Optional.empty();
        }
        String shortDetail = detail == null || detail.isEmpty() || detail.length() > 80 ? ""
                : " (" + detail.replaceAll("\\s+", " ") + ")";
        return Optional.of(kind.words + shortDetail + " at " + (path == null ? "an unnamed path" : path) + ": "
                + kind.remedy);
    }

    private static Kind classify(Throwable t, String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("no space left on device") || m.contains("disk quota exceeded")) {
            return Kind.DISK_FULL;
        }
        if (m.contains("read-only file system")) {
            return Kind.READ_ONLY;
        }
        if (m.contains("too many open files")) {
            return Kind.FILE_DESCRIPTORS;
        }
        if (t instanceof OutOfMemoryError || m.contains("std::bad_alloc") || m.contains("not enough memory")
                || m.contains("cannot allocate memory") || m.contains("out of memory")) {
            return Kind.MEMORY;
        }
        if (t instanceof InternalError && m.contains("unsafe memory access")) {
            return Kind.MAPPED_FILE;
        }
        return null;
    }
}
