package org.contssl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The DJL PyTorch engine, started once per JVM with explicit thread counts (recorded so runs can state them). The
 * engine never downloads anything: libtorch comes from the bundled native jar ({@code ai.djl.offline=true}).
 */
public final class Engines {
    private static final String ENGINE = "PyTorch";
    private static Integer requestedIntra;
    private static Integer requestedInter;
    private static Engine engine;

    private Engines() {}

    /** Thread counts and versions actually in effect. */
    public record Info(String engine, String version, int intraOpThreads, int interOpThreads) {}

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
            if (interOpThreads != 0 && interOpThreads != JniUtils.getNumInteropThreads()) {
                throw new IllegalStateException("the engine already runs with " + JniUtils.getNumInteropThreads()
                        + " inter-op threads; call Engines.configure(" + intraOpThreads + ", " + interOpThreads
                        + ") before the first model is created");
            }
            if (intraOpThreads != 0) {
                JniUtils.setNumThreads(intraOpThreads);
            }
        }
        return info();
    }

    /** The started engine (starting it with libtorch's defaults if {@link #configure} was not called). */
    public static synchronized Engine get() {
        if (engine == null) {
            start();
        }
        return engine;
    }

    public static synchronized Info info() {
        Engine e = get();
        return new Info(e.getEngineName(), e.getVersion(), JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }

    /**
     * libtorch's grad mode is thread-local and DJL switches it off only on the thread that started the engine; a
     * model used from another thread (a Spring Batch job or partition thread) would otherwise record autograd history
     * for every op outside a GradientCollector and refuse in-place updates of parameters. Call on each thread before
     * using a model there; cheap.
     */
    public static void gradOffOnThisThread() {
        get();
        JniUtils.setGradMode(false);
    }

    /** A new root manager on the CPU. */
    public static NDManager newManager() {
        return get().newBaseManager();
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
        engine = Engine.getEngine(ENGINE);
        // the system properties are read only when the engine class initialises; apply them again in case another
        // component started it first
        if (requestedIntra != null) {
            JniUtils.setNumThreads(requestedIntra);
        }
    }
}
