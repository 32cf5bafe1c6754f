package org.contssl.steps.report;

import org.contssl.model.Engines;

/** Versions stated in every report, so a number can be traced to the code and engine that produced it. */
final class Versions {

    private Versions() {
    }

    static String contssl() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    static String djl() {
        String v = ai.djl.engine.Engine.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.36.0";
    }

    static String engine() {
        try {
            Engines.Info info = Engines.info();
            return info.engine() + " " + info.version() + " (" + info.intraOpThreads() + " intra-op threads)";
        } catch (RuntimeException e) {
            return "unavailable";
        }
    }
}
