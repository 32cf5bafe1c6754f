package org.contssl.model.io;

/**
 * A tensor found in a checkpoint's pickle, not yet read: which storage holds it, and where in that storage its
 * elements are ({@code torch._utils._rebuild_tensor_v2}'s arguments). The data is only read for the tensors contssl
 * uses, so a reference checkpoint's optimizer and replay-buffer entries cost nothing.
 */
public record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {

    /** One persistent storage: its element type, the key its bytes are filed under, and its length in elements. */
    public record Storage(TorchDtype dtype, String key, long numel) {}

    public TorchDtype dtype() {
        return storage.dtype();
    }

    /** Number of elements (1 for a scalar). */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** True when the elements are the row-major run {@code [offset, offset + numel)} of the storage. */
    public boolean contiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }
}
