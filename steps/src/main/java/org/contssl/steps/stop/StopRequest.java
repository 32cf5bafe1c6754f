package org.contssl.steps.stop;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A graceful stop asked for by the user (SIGTERM or SIGINT, see docs/failures.md). The signal handler only
 * raises this flag; the steps poll it at their safe points — after an SGD step, after a stream chunk, before a
 * probe partition, before a child job — write what a restart needs and end STOPPED. A flag rather than thread
 * interruption because an interrupted engine call or half-written file is exactly what a graceful stop avoids.
 */
public final class StopRequest {

    private static final AtomicReference<String> REASON = new AtomicReference<>();

    private StopRequest() {
    }

    /** Raises the flag; true for the first request, false when a stop is already under way. */
    public static boolean request(String why) {
        return REASON.compareAndSet(null, why);
    }

    public static boolean requested() {
        return REASON.get() != null;
    }

    /** What asked for the stop (e.g. {@code SIGTERM}), or null. */
    public static String reason() {
        return REASON.get();
    }

    /** Forgets a request: a new launch in the same JVM (tests) starts without one. */
    public static void clear() {
        REASON.set(null);
    }
}
