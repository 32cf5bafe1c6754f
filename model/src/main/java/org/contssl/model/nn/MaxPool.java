package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;

/** MaxPool2d(kernel, stride, padding). */
public final class MaxPool implements Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    MaxPool(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public NDArray forward(Ctx ctx, NDArray x) {
        return Ops.maxPool(x, kernel, stride, padding);
    }

    @Override
    public long[] outputShape(long[] s) {
        return new long[] {
            s[0], (s[1] + 2L * padding - kernel) / stride + 1, (s[2] + 2L * padding - kernel) / stride + 1
        };
    }
}
