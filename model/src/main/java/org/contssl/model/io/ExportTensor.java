package org.contssl.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** One tensor to write: its name in the target file, element type, shape and raw little-endian row-major bytes. */
public record ExportTensor(String name, TorchDtype dtype, long[] shape, byte[] data) {

    public ExportTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n * dtype.bytes() != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": " + data.length + " bytes for shape of " + n
                    + " " + dtype + " elements");
        }
    }

    /** A float32 tensor. */
    public static ExportTensor ofFloats(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new ExportTensor(name, TorchDtype.FLOAT32, shape.clone(), b.array());
    }

    /** A 0-dimensional int64 tensor (BatchNorm's {@code num_batches_tracked}). */
    public static ExportTensor scalarLong(String name, long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        return new ExportTensor(name, TorchDtype.INT64, new long[0], b.array());
    }

    /** Number of elements. */
    public long numel() {
        return data.length / dtype.bytes();
    }

    /** Row-major strides in elements. */
    public long[] stride() {
        long[] s = new long[shape.length];
        long n = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = n;
            n *= shape[d];
        }
        return s;
    }

    public ExportTensor renamed(String newName) {
        return new ExportTensor(newName, dtype, shape, data);
    }
}
