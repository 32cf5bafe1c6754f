package org.contssl.storage;

/**
 * The buffer's durable state cannot be used (truncated, corrupted, torn by a crash mid-update, or made for another
 * configuration). The message is one line naming the file and the way out.
 */
public class BufferStateException extends RuntimeException {
    public BufferStateException(String message) {
        super(message);
    }

    public BufferStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
