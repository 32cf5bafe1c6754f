package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The few libtorch kernels the networks need, called through DJL's JNI layer directly. Going through
 * {@code JniUtils} (rather than DJL's Block API) lets batch norm take PyTorch's own momentum (DJL's API flips it) and
 * keeps the running statistics as plain tensors that are updated in place exactly like {@code torch.nn.BatchNorm}.
 */
public final class Ops {
    public static final double BN_MOMENTUM = 0.1;
    public static final double BN_EPS = 1e-5;

    private static final Shape ONE = new Shape(1, 1);

    private Ops() {}

    static PtNDArray pt(NDArray a) {
        return (PtNDArray) a;
    }

    public static NDArray conv2d(NDArray x, NDArray weight, int stride, int padding) {
        return JniUtils.convolution(
                pt(x), pt(weight), null, new Shape(stride, stride), new Shape(padding, padding), ONE, 1);
    }

    /**
     * torch.nn.functional.batch_norm. Note the argument order of DJL's {@code JniUtils.batchNorm}: its parameters are
     * named (gamma, beta, mean, var) but are passed positionally to a native function taking (mean, var, weight, bias).
     */
    public static NDArray batchNorm(
            NDArray x, NDArray runningMean, NDArray runningVar, NDArray gamma, NDArray beta, boolean training) {
        return JniUtils.batchNorm(
                pt(x), pt(runningMean), pt(runningVar), pt(gamma), pt(beta), training, BN_MOMENTUM, BN_EPS);
    }

    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return JniUtils.linear(pt(x), pt(weight), bias == null ? null : pt(bias));
    }

    public static NDArray relu(NDArray x) {
        return JniUtils.relu(pt(x));
    }

    public static NDArray maxPool(NDArray x, int kernel, int stride, int padding) {
        return JniUtils.maxPool(
                pt(x), new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding), false);
    }

    /** AdaptiveAvgPool2d(1) followed by flatten: (N, C, H, W) → (N, C). */
    public static NDArray globalAvgPool(NDArray x) {
        NDArray pooled = JniUtils.adaptiveAvgPool(pt(x), ONE);
        return pooled.reshape(x.getShape().get(0), x.getShape().get(1));
    }

    /** Concatenation along the first dimension. */
    public static NDArray concatBatch(NDList parts) {
        return NDArrays.concat(parts, 0);
    }
}
