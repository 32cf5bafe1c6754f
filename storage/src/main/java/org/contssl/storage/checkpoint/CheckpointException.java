package org.contssl.storage.checkpoint;

import java.io.IOException;

/** A checkpoint cannot be written or does not verify; the message is one line naming it and the problem. */
public class CheckpointException extends IOException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
