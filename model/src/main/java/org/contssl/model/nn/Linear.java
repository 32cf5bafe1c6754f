package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;

/** Fully connected layer with PyTorch's default init; the bias can be absent, trainable or frozen. */
public final class Linear implements Module {
    /** What happens to the bias. */
    public enum Bias { NONE, TRAINABLE, FROZEN }

    private final Param weight;
    private final Param bias;
    private final int in;
    private final int out;

    private Linear(Param weight, Param bias, int in, int out) {
        this.weight = weight;
        this.bias = bias;
        this.in = in;
        this.out = out;
    }

    /** nn.Linear defaults: weight and bias ~ U(-1/sqrt(in), 1/sqrt(in)). */
    static Linear of(ParamStore store, long seed, String name, int in, int out, Bias biasMode, Group g) {
        double bound = 1.0 / Math.sqrt(in);
        float[] w = Init.uniform(Init.rng(seed, name + ".weight"), out * in, bound);
        Param pw = store.add(name + ".weight", new long[] {out, in}, Kind.TRAINABLE, g, w);
        Param pb = null;
        if (biasMode != Bias.NONE) {
            float[] b = Init.uniform(Init.rng(seed, name + ".bias"), out, bound);
            Kind k = biasMode == Bias.FROZEN ? Kind.FROZEN : Kind.TRAINABLE;
            pb = store.add(name + ".bias", new long[] {out}, k, g, b);
        }
        return new Linear(pw, pb, in, out);
    }

    @Override
    public NDArray forward(Ctx ctx, NDArray x) {
        return Ops.linear(x, ctx.t(weight), bias == null ? null : ctx.t(bias));
    }

    @Override
    public long[] outputShape(long[] s) {
        return new long[] {out};
    }

    @Override
    public long macs(long[] s) {
        return (long) in * out;
    }

    public Param bias() {
        return bias;
    }
}
