package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * BatchNorm1d/2d with PyTorch defaults (momentum 0.1, eps 1e-5, unbiased running variance). When the context stacks
 * several views along the batch, each view is normalised with its own statistics and the running statistics are
 * updated view after view, exactly as separate forward passes would.
 */
public final class BatchNorm implements Module {
    private final Param weight;
    private final Param bias;
    private final NDArray onesConst;
    private final NDArray zerosConst;
    private final Param runningMean;
    private final Param runningVar;

    private BatchNorm(Param weight, Param bias, NDArray ones, NDArray zeros, Param runningMean, Param runningVar) {
        this.weight = weight;
        this.bias = bias;
        this.onesConst = ones;
        this.zerosConst = zeros;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
    }

    /** Affine BN with γ = {@code gamma} (1, or 0 for the zero-init last BN of a residual block) and β = 0. */
    static BatchNorm affine(ParamStore store, String name, int channels, float gamma, Group g) {
        long[] s = {channels};
        Param w = store.add(name + ".weight", s, Kind.TRAINABLE, g, Init.constant(channels, gamma));
        Param b = store.add(name + ".bias", s, Kind.TRAINABLE, g, Init.constant(channels, 0f));
        Param m = store.add(name + ".running_mean", s, Kind.BUFFER, g, Init.constant(channels, 0f));
        Param v = store.add(name + ".running_var", s, Kind.BUFFER, g, Init.constant(channels, 1f));
        return new BatchNorm(w, b, null, null, m, v);
    }

    /** BN without learnable affine parameters (the projector's output BN). */
    static BatchNorm noAffine(ParamStore store, String name, int channels, Group g) {
        long[] s = {channels};
        Param m = store.add(name + ".running_mean", s, Kind.BUFFER, g, Init.constant(channels, 0f));
        Param v = store.add(name + ".running_var", s, Kind.BUFFER, g, Init.constant(channels, 1f));
        // γ = 1, β = 0 give x̂·1 + 0 = x̂ exactly, so passing constants is the affine-free BN bit for bit
        NDArray ones = store.constant(Init.constant(channels, 1f), channels);
        NDArray zeros = store.constant(Init.constant(channels, 0f), channels);
        return new BatchNorm(null, null, ones, zeros, m, v);
    }

    @Override
    public NDArray forward(Ctx ctx, NDArray x) {
        NDArray g = weight != null ? ctx.t(weight) : onesConst;
        NDArray b = bias != null ? ctx.t(bias) : zerosConst;
        NDArray mean = runningMean.value();
        NDArray var = runningVar.value();
        if (ctx.views() == 1 || !ctx.training()) {
            return Ops.batchNorm(x, mean, var, g, b, ctx.training());
        }
        NDList parts = Ops.splitBatch(x, ctx.views());
        NDList normed = new NDList(parts.size());
        for (NDArray part : parts) {
            normed.add(Ops.batchNorm(part, mean, var, g, b, true));
        }
        return Ops.concatBatch(normed);
    }

    @Override
    public long[] outputShape(long[] s) {
        return s;
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }
}
