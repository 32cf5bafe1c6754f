package org.contssl.storage;

import java.util.Locale;

/** Replay policy ({@code model.buffer_type}). */
public enum BufferPolicy {
    /** No buffer: the caller trains on each incoming chunk once; {@link ReplayBuffers#open} refuses it. */
    NONE,
    /** First in, first out (the reference's {@code simple}). */
    FIFO,
    /** Minimum-redundancy eviction (docs/reference-system.md, "MinRed's eviction rule"). */
    MINRED,
    /** Classic reservoir sampling over the stream: every stream item is in the buffer with equal probability. */
    RESERVOIR;

    /** Parses a configuration value; {@code simple} is accepted as the reference's name for FIFO. */
    public static BufferPolicy parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "none": return NONE;
            case "fifo": case "simple": return FIFO;
            case "minred": return MINRED;
            case "reservoir": return RESERVOIR;
            default:
                throw new IllegalArgumentException("model.buffer_type=" + value
                        + " is not a buffer policy; use one of none, fifo (alias simple), minred, reservoir");
        }
    }

    /** The configuration name. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
