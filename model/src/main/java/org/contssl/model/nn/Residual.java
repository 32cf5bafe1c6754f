package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;

/** A residual block: relu(main(x) + shortcut(x)), shortcut = identity or 1×1 conv + BN (torchvision "downsample"). */
final class Residual implements Module {
    private final Sequential main;
    private final Sequential downsample;

    Residual(Sequential main, Sequential downsample) {
        this.main = main;
        this.downsample = downsample;
    }

    @Override
    public NDArray forward(Ctx ctx, NDArray x) {
        NDArray out = main.forward(ctx, x);
        NDArray identity = downsample == null ? x : downsample.forward(ctx, x);
        return Ops.relu(out.add(identity));
    }

    @Override
    public long[] outputShape(long[] s) {
        return main.outputShape(s);
    }

    @Override
    public long macs(long[] s) {
        return main.macs(s) + (downsample == null ? 0 : downsample.macs(s));
    }
}
