package org.contssl.steps.pretrain;

/** Told about every checkpoint a training session writes (the step records it in its execution context). */
@FunctionalInterface
public interface CheckpointListener {
    void written(String name, SessionState state, double seconds);
}
