package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Moving float arrays in and out of libtorch tensors without leaking Java-owned memory into long-lived tensors. */
public final class Tensors {
    /** libtorch's own allocator aligns to 64 bytes; matching it keeps MKL/oneDNN on the same code paths every run. */
    private static final int ALIGN = 64;

    private Tensors() {}

    /** A direct, native-order, 64-byte aligned buffer of {@code floats} floats (reusable staging memory). */
    public static ByteBuffer alignedBuffer(int floats) {
        int bytes = floats * Float.BYTES;
        int rounded = (bytes + ALIGN - 1) / ALIGN * ALIGN;
        // alignedSlice rounds the start up and the end down: over-allocate by one block for each
        ByteBuffer aligned = ByteBuffer.allocateDirect(rounded + 2 * ALIGN).alignedSlice(ALIGN);
        aligned.limit(bytes);
        return aligned.order(ByteOrder.nativeOrder());
    }

    /**
     * A tensor that <em>views</em> {@code staging} (no copy). The caller must keep {@code staging} unchanged while the
     * tensor or anything computed from it for backward is alive.
     */
    public static NDArray view(NDManager manager, ByteBuffer staging, long... shape) {
        Shape s = new Shape(shape);
        ByteBuffer window = staging.slice(0, Math.toIntExact(s.size() * Float.BYTES)).order(ByteOrder.nativeOrder());
        return manager.create(window, s, DataType.FLOAT32);
    }

    /** A libtorch-owned copy of {@code data} with the given shape, attached to {@code manager}. */
    public static NDArray copyOf(NDManager manager, float[] data, long... shape) {
        long n = new Shape(shape).size();
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "tensor data has " + data.length + " floats but shape " + new Shape(shape) + " needs " + n);
        }
        ByteBuffer staging = alignedBuffer(data.length);
        staging.asFloatBuffer().put(data);
        try (NDManager tmp = manager.newSubManager()) {
            NDArray shared = view(tmp, staging, shape);
            NDArray owned = shared.duplicate();
            owned.attach(manager);
            return owned;
        }
    }

    /** The tensor's values in logical (row-major) order, whatever its strides. */
    public static float[] toFloats(NDArray array) {
        return array.toFloatArray();
    }

    /** Copies {@code count} floats from {@code src[srcOffset]} to float index {@code dstOffset} of the staging buffer. */
    public static void stage(ByteBuffer staging, int dstOffset, float[] src, int srcOffset, int count) {
        FloatBuffer fb = staging.asFloatBuffer();
        fb.put(dstOffset, src, srcOffset, count);
    }
}
