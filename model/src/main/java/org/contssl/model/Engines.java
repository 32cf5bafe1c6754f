package org.contssl.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The DJL PyTorch engine, started once per JVM with explicit thread counts (recorded so runs can state them). The
 * engine never downloads anything: libtorch comes from the bundled native jar ({@code ai.djl.offline=true}).
 *
 * <p>All libtorch work of this module runs on one dedicated thread ({@link #call}): libtorch's grad mode is
 * thread-local (DJL switches it off only on the thread that started the engine, so a step called from another thread
 * would record autograd history for its optimizer updates), and keeping every allocation on one thread lets the
 * native allocator reuse memory (see {@link NativeAllocator}). Callers may use the trainer from any thread.
 */
public final class Engines {
    private static final String ENGINE = "PyTorch";
    private static Integer requestedIntra;
    private static Integer requestedInter;
    private static volatile Engine engine;
    private static ExecutorService worker;
    private static Thread workerThread;
    private static String allocator = "not tuned";
    /** Where new managers put their tensors: the run's {@code environment.device}. */
    private static volatile Device device = Device.cpu();

    private Engines() {}

    /** Thread counts, versions and native allocator settings actually in effect. */
    public record Info(String engine, String version, int intraOpThreads, int interOpThreads, String allocator) {}

    /**
     * Fixes the intra-op (within one kernel) and inter-op thread counts. Call before anything else touches the
     * engine; 0 keeps libtorch's default for that pool. Calling again with the same values is a no-op; the inter-op
     * pool cannot change once the engine has started (libtorch refuses), the intra-op count can.
     */
    public static synchronized Info configure(int intraOpThreads, int interOpThreads) {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException(
                    "thread counts must be >= 0 (0 = engine default), got intra " + intraOpThreads
                            + " inter " + interOpThreads);
        }
        if (engine == null) {
            requestedIntra = intraOpThreads == 0 ? null : intraOpThreads;
            requestedInter = interOpThreads == 0 ? null : interOpThreads;
            start();
        } else {
            int inter = call(JniUtils::getNumInteropThreads);
            if (interOpThreads != 0 && interOpThreads != inter) {
                throw new IllegalStateException("the engine already runs with " + inter
                        + " inter-op threads; call Engines.configure(" + intraOpThreads + ", " + interOpThreads
                        + ") before the first model is created");
            }
            if (intraOpThreads != 0) {
                call(() -> {
                    JniUtils.setNumThreads(intraOpThreads);
                    return null;
                });
            }
        }
        return info();
    }

    /**
     * The started engine. If {@link #configure} was not called it starts with libtorch's intra-op default and one
     * inter-op thread — what every run path configures — so that a later {@code configure(n, 1)} (a job step after a
     * model was created elsewhere in the same JVM, a test after another) is accepted rather than refused.
     */
    public static Engine get() {
        Engine e = engine;
        if (e != null) {
            return e; // lock-free once started: work on the engine thread may call this while configure() waits
        }
        synchronized (Engines.class) {
            if (engine == null) {
                if (requestedInter == null) {
                    requestedInter = 1;
                }
                start();
            }
            return engine;
        }
    }

    public static Info info() {
        Engine e = get();
        return call(() -> new Info(e.getEngineName(), e.getVersion(), JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads(), allocator));
    }

    /** A new root manager on the run's device ({@link #useDevice}; the CPU unless a run asked otherwise). */
    public static NDManager newManager() {
        return get().newBaseManager(device);
    }

    /** The device new managers use. */
    public static Device device() {
        return device;
    }

    /**
     * Puts every tensor made from now on ({@link #newManager}) on {@code spec}: {@code cpu}, {@code cuda} (device 0)
     * or {@code cuda:N}. Fails with a one-line reason when libtorch cannot see that device — always for CUDA with
     * the bundled CPU-only libtorch; a CUDA build must be supplied by the user (docs/performance.md, "GPU").
     *
     * @throws IllegalArgumentException for a malformed spec or an absent device
     */
    public static synchronized Device useDevice(String spec) {
        Device d = parseDevice(spec);
        if (d.isGpu()) {
            int gpus = call(() -> get().getGpuCount());
            if (d.getDeviceId() >= gpus) {
                throw new IllegalArgumentException("environment.device=" + spec + ": libtorch " + get().getVersion()
                        + " sees " + gpus + " CUDA device(s) on this machine; use environment.device=cpu, or supply"
                        + " a CUDA libtorch through PYTORCH_LIBRARY_PATH (docs/performance.md, \"GPU\")");
            }
        }
        device = d;
        return d;
    }

    /** {@code cpu}, {@code cuda} or {@code cuda:N} as a DJL device (no availability check). */
    public static Device parseDevice(String spec) {
        String s = spec == null ? "" : spec.trim();
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("cuda")) {
            return Device.gpu(0);
        }
        if (s.matches("cuda:[0-9]{1,3}")) {
            return Device.gpu(Integer.parseInt(s.substring(5)));
        }
        throw new IllegalArgumentException("environment.device=" + spec + " is not cpu, cuda or cuda:N");
    }

    /** Runs {@code work} on the engine thread and returns its result (directly if already there). */
    public static <T> T call(Callable<T> work) {
        if (Thread.currentThread() == workerThread) {
            try {
                return work.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        get();
        Future<T> f = worker.submit(work);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the libtorch thread", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            if (c instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(c);
        }
    }

    /** As {@link #call}, for work that throws {@link IOException} (rethrown as is). */
    public static <T> T callIo(Callable<T> work) throws IOException {
        try {
            return call(work);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void start() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (requestedInter != null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", requestedInter.toString());
        }
        if (requestedIntra != null) {
            System.setProperty("ai.djl.pytorch.num_threads", requestedIntra.toString());
        }
        // before the worker thread exists, so that its first allocation already follows the tuned policy
        allocator = NativeAllocator.tune();
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "contssl-libtorch");
            t.setDaemon(true);
            return t;
        });
        try {
            engine = worker.submit(() -> {
                workerThread = Thread.currentThread();
                Engine e = Engine.getEngine(ENGINE);
                // grad mode is thread-local: off on this thread, on only inside a GradientCollector
                JniUtils.setGradMode(false);
                // the system properties are read only when the engine class initialises; apply them again in case
                // another component started it first
                if (requestedIntra != null) {
                    JniUtils.setNumThreads(requestedIntra);
                }
                return e;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the PyTorch engine", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the PyTorch engine did not start: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
