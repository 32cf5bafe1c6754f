package org.contssl.model;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One single-threaded engine manager per test class ({@code @RegisterExtension static final EngineManager engine}):
 * opened before the class's tests, closed after them, so no test leaks native memory into the next class.
 */
public final class EngineManager implements BeforeAllCallback, AfterAllCallback {
    private NDManager manager;

    public NDManager manager() {
        return manager;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        TestEngine.singleThread();
        manager = Engines.newManager();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        manager.close();
    }
}
