package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;

/** Bias-free 2-D convolution (every conv of the reference's backbones is bias-free). */
public final class Conv2d implements Module {
    private final Param weight;
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;

    private Conv2d(Param weight, int in, int out, int kernel, int stride, int padding) {
        this.weight = weight;
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** torchvision ResNet init: Kaiming-normal, fan_out, ReLU gain. */
    static Conv2d kaimingFanOut(
            ParamStore store, long seed, String name, int in, int out, int kernel, int stride, int padding, Group g) {
        int n = out * in * kernel * kernel;
        double std = Math.sqrt(2.0 / (out * kernel * kernel));
        float[] w = Init.normal(Init.rng(seed, name + ".weight"), n, std);
        return new Conv2d(
                store.add(name + ".weight", new long[] {out, in, kernel, kernel}, Kind.TRAINABLE, g, w),
                in, out, kernel, stride, padding);
    }

    /** PyTorch's default Conv2d init (kaiming_uniform with a = sqrt(5)): U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    static Conv2d torchDefault(
            ParamStore store, long seed, String name, int in, int out, int kernel, int stride, int padding, Group g) {
        int n = out * in * kernel * kernel;
        double bound = 1.0 / Math.sqrt(in * kernel * kernel);
        float[] w = Init.uniform(Init.rng(seed, name + ".weight"), n, bound);
        return new Conv2d(
                store.add(name + ".weight", new long[] {out, in, kernel, kernel}, Kind.TRAINABLE, g, w),
                in, out, kernel, stride, padding);
    }

    @Override
    public NDArray forward(Ctx ctx, NDArray x) {
        if (kernel == 1 && stride > 1 && padding == 0) {
            // A strided 1×1 conv is a 1×1 conv of the subsampled input (same sums, same order). libtorch 2.7.1's
            // oneDNN 3.7.1 crashes (SIGFPE in brgemm bwd blocking) on some strided 1×1 shapes, e.g. ResNet-50's
            // 512→1024 downsample at 16 px, on this project's AVX-512 machines; the stride-1 kernels are fine.
            return Ops.conv2d(x.get(SUBSAMPLE[stride]), ctx.t(weight), 1, 0);
        }
        return Ops.conv2d(x, ctx.t(weight), stride, padding);
    }

    private static final String[] SUBSAMPLE = {null, null, ":, :, ::2, ::2", ":, :, ::3, ::3", ":, :, ::4, ::4"};

    @Override
    public long[] outputShape(long[] s) {
        long h = (s[1] + 2L * padding - kernel) / stride + 1;
        long w = (s[2] + 2L * padding - kernel) / stride + 1;
        return new long[] {out, h, w};
    }

    @Override
    public long macs(long[] s) {
        long[] o = outputShape(s);
        return o[0] * o[1] * o[2] * in * (long) kernel * kernel;
    }

    public Param weight() {
        return weight;
    }
}
