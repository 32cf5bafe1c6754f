package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * BatchNorm1d/2d with PyTorch defaults (momentum 0.1, eps 1e-5, unbiased running variance).
 *
 * <p>When the context interleaves V views along the batch (row {@code i·V + v} = view v of sample i), the contiguous
 * (V·b, C, …) tensor is viewed without a copy as (b, V·C, …): one batch-norm call then normalises every view with its
 * own statistics (γ and β repeated per view). The V running-statistic copies are folded back into the sequential
 * update the reference's separate passes make, r ← (1−m)·r + m·μ_v for v = 1..V.
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
        int views = ctx.views();
        if (views == 1 || !ctx.training()) {
            return Ops.batchNorm(x, mean, var, g, b, ctx.training());
        }
        long[] shape = x.getShape().getShape();
        long[] grouped = shape.clone();
        grouped[0] = shape[0] / views;
        grouped[1] = shape[1] * views;
        NDArray gv = repeat(g, views, ctx);
        NDArray bv = repeat(b, views, ctx);
        NDArray meanV = repeat(mean, views, ctx);
        NDArray varV = repeat(var, views, ctx);
        NDArray y = Ops.batchNorm(x.reshape(grouped), meanV, varV, gv, bv, true);
        runningMean.value = fold(mean, meanV, views, ctx);
        runningVar.value = fold(var, varV, views, ctx);
        return y.reshape(shape);
    }

    /** [t, t, …] (views times) in the step's manager; autograd sums the gradient copies back into t. */
    private static NDArray repeat(NDArray t, int views, Ctx ctx) {
        NDList copies = new NDList(views);
        for (int v = 0; v < views; v++) {
            copies.add(t);
        }
        NDArray out = Ops.concatBatch(copies);
        out.attach(ctx.manager());
        return out;
    }

    /**
     * From r and the per-view updates a_v = (1−m)·r + m·μ_v, the sequential result: r_V = (1−m)·r_{V−1} + a_V −
     * (1−m)·r, starting from r_1 = a_1. The new tensor replaces the old one in the parameter store.
     */
    private static NDArray fold(NDArray r, NDArray updated, int views, Ctx ctx) {
        float keep = (float) (1 - Ops.BN_MOMENTUM);
        NDList a = updated.split(views, 0);
        NDArray acc = a.get(0);
        for (int v = 1; v < views; v++) {
            acc = acc.sub(r).mul(keep).add(a.get(v));
        }
        NDArray result = acc.duplicate();
        result.attach(r.getManager());
        r.close();
        return result;
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
