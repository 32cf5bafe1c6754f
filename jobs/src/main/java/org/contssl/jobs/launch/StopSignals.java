package org.contssl.jobs.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.contssl.steps.stop.StopRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT during a launch become a graceful stop (docs/failures.md): the first raises
 * {@link StopRequest} and the steps stop at their next safe point; a second is ignored with a message; if the
 * stop takes longer than {@code environment.stop_grace_s} the process exits at once with the stopped code — the
 * state is then that of a crash, which {@code restart} also recovers (from the newest valid checkpoint).
 *
 * <p>The JVM's own handlers would run the shutdown hooks and exit 143 while the pipeline is mid-step, leaving
 * the job repository STARTED; replacing them for the duration of a launch is what lets Spring Batch record STOPPED.
 */
public final class StopSignals implements AutoCloseable {

    /** The exit code after an expired grace (the same as a completed stop: the run is restartable either way). */
    static final int GRACE_EXPIRED_EXIT = 7;
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] NAMES = {"TERM", "INT"};
    /** Launches inside a launch (a sweep's cells): only the outermost starts without a pending request. */
    private static int depth;

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final long graceSeconds;
    private volatile long requestedAt;
    private volatile Thread watchdog;

    private StopSignals(long graceSeconds) {
        this.graceSeconds = graceSeconds;
    }

    /**
     * Installs the handlers for the duration of a launch (closing restores the previous ones). The outermost launch
     * forgets an earlier request; a nested one (a sweep's cell) keeps it, so a stop asked for between two cells is
     * still seen by the sweep.
     */
    public static synchronized StopSignals install(long graceSeconds) {
        if (depth++ == 0) {
            StopRequest.clear();
        }
        StopSignals s = new StopSignals(graceSeconds);
        for (String name : NAMES) {
            try {
                Signal signal = new Signal(name);
                s.previous.add(Signal.handle(signal, s::handle));
                s.signals.add(signal);
            } catch (IllegalArgumentException e) {
                // the signal is reserved here (e.g. -Xrs): the JVM keeps its default behaviour
                log.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return s;
    }

    private void handle(Signal signal) {
        String name = "SIG" + signal.getName();
        if (!StopRequest.request(name)) {
            long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - requestedAt);
            System.err.println("contssl: already stopping (" + StopRequest.reason() + " " + waited + " s ago); "
                    + name + " ignored — the stop ends within " + Math.max(0, graceSeconds - waited) + " s");
            return;
        }
        requestedAt = System.nanoTime();
        System.err.println("contssl: " + name + " received: finishing the step in flight, writing a checkpoint and"
                + " stopping (at most " + graceSeconds + " s; `restart` continues the run)");
        Thread timer = new Thread(this::expire, "stop-grace");
        timer.setDaemon(true);
        watchdog = timer;
        timer.start();
    }

    private void expire() {
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(graceSeconds));
        } catch (InterruptedException e) {
            return;
        }
        System.err.println("contssl: the stop did not finish within environment.stop_grace_s=" + graceSeconds
                + " s: exiting now; `restart` resumes from the newest valid checkpoint");
        // halt, not exit: the shutdown hooks would wait for the very work that did not finish in time
        Runtime.getRuntime().halt(GRACE_EXPIRED_EXIT);
    }

    @Override
    public void close() {
        synchronized (StopSignals.class) {
            depth--;
        }
        Thread timer = watchdog;
        if (timer != null) {
            timer.interrupt(); // the stop finished in time
        }
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
