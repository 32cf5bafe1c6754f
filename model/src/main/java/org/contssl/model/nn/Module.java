package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;

/** A functional layer: reads its parameters from the context, writes nothing but BN running statistics. */
public interface Module {
    NDArray forward(Ctx ctx, NDArray x);

    /** Multiply-accumulates of one forward pass for one sample whose input has the given (C, H, W) or (F). */
    default long macs(long[] inputShape) {
        return 0;
    }

    /** The per-sample output shape for a per-sample input shape. */
    long[] outputShape(long[] inputShape);
}
