package org.contssl.storage.checkpoint;

/** A checkpoint that cannot be written or read, described in one line naming it and the way out. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
