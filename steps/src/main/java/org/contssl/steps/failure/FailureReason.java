package org.contssl.steps.failure;

/**
 * Turns an exception chain into the one line a user sees. contssl's own exceptions already carry a
 * user-facing message (file, record, what to do), so the deepest of them wins; anything else is shown
 * as its type and message.
 */
public final class FailureReason {

    private FailureReason() {
    }

    public static String of(Throwable failure) {
        Throwable own = null;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("org.contssl.") && t.getMessage() != null) {
                own = t;
            }
            root = t;
            if (t.getCause() == t) {
                break;
            }
        }
        Throwable chosen = own != null ? own : root;
        String message = chosen.getMessage() == null ? "" : chosen.getMessage();
        String line = message.lines().findFirst().orElse("").trim();
        return own != null ? line : chosen.getClass().getSimpleName() + (line.isEmpty() ? "" : ": " + line);
    }
}
