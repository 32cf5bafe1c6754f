package org.contssl.model;

/**
 * Tests run libtorch single-threaded: results do not depend on it (determinism is per thread count), and on a
 * shared 2-core machine two spinning OpenMP threads per op make tiny steps hundreds of times slower.
 */
public final class TestEngine {
    private TestEngine() {}

    public static void singleThread() {
        Engines.configure(1, 0);
    }
}
