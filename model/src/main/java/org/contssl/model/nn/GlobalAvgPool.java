package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;

/** AdaptiveAvgPool2d(1) + Flatten: (N, C, H, W) → (N, C). */
public final class GlobalAvgPool implements Module {
    static final GlobalAvgPool INSTANCE = new GlobalAvgPool();

    @Override
    public NDArray forward(Ctx ctx, NDArray x) {
        return Ops.globalAvgPool(x);
    }

    @Override
    public long[] outputShape(long[] s) {
        return new long[] {s[0]};
    }
}
