package org.contssl.model.io;

import java.io.IOException;

/**
 * A weights file that cannot be used: truncated, not a checkpoint at all, a pickle that asks for code we refuse to
 * run, or tensors that do not fit the configured model. The message is one line naming the file and what to do; the
 * CLI reports it as a bad input file.
 */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
