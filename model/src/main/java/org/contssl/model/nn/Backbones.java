package org.contssl.model.nn;

/**
 * Backbones in torchvision's parameter layout. The output is the globally average-pooled feature (N, featureDim).
 */
public final class Backbones {
    private Backbones() {}

    /** A backbone module and the width of its pooled feature. */
    public record Built(Module module, int featureDim) {}

    /**
     * The 4-layer convnet of the PyTorch benchmark script: [conv3×3 (no bias) → BN → ReLU (→ MaxPool 2)] with widths
     * 32-64-128-256, max-pool after the first three, global average pool. PyTorch default conv init.
     */
    public static Built conv4(ParamStore store, long seed, String prefix, int inChannels) {
        Sequential s = new Sequential();
        int[] widths = {32, 64, 128, 256};
        int cin = inChannels;
        int idx = 0;
        for (int i = 0; i < widths.length; i++) {
            s.add(Conv2d.torchDefault(store, seed, prefix + idx, cin, widths[i], 3, 1, 1, Group.ENCODER));
            s.add(BatchNorm.affine(store, prefix + (idx + 1), widths[i], 1f, Group.ENCODER));
            s.add(Relu.INSTANCE);
            idx += 3;
            if (i < 3) {
                s.add(new MaxPool(2, 2, 0));
                idx++;
            }
            cin = widths[i];
        }
        s.add(GlobalAvgPool.INSTANCE);
        return new Built(s, 256);
    }

    /** torchvision ResNet-18 (BasicBlock ×[2,2,2,2]). */
    public static Built resnet18(ParamStore store, long seed, String prefix, int inChannels, boolean cifarStem) {
        return resnet(store, seed, prefix, inChannels, cifarStem, new int[] {2, 2, 2, 2}, false);
    }

    /** torchvision ResNet-50 v1.5 (Bottleneck ×[3,4,6,3], stride on the 3×3 conv). */
    public static Built resnet50(ParamStore store, long seed, String prefix, int inChannels, boolean cifarStem) {
        return resnet(store, seed, prefix, inChannels, cifarStem, new int[] {3, 4, 6, 3}, true);
    }

    private static Built resnet(
            ParamStore store, long seed, String p, int inChannels, boolean cifarStem, int[] layers, boolean bottleneck) {
        Sequential s = new Sequential();
        Group g = Group.ENCODER;
        if (cifarStem) {
            // small inputs (≤ 64 px): 3×3 stride-1 stem, no max-pool
            s.add(Conv2d.kaimingFanOut(store, seed, p + "conv1", inChannels, 64, 3, 1, 1, g));
        } else {
            s.add(Conv2d.kaimingFanOut(store, seed, p + "conv1", inChannels, 64, 7, 2, 3, g));
        }
        s.add(BatchNorm.affine(store, p + "bn1", 64, 1f, g));
        s.add(Relu.INSTANCE);
        if (!cifarStem) {
            s.add(new MaxPool(3, 2, 1));
        }
        int expansion = bottleneck ? 4 : 1;
        int inplanes = 64;
        int[] planes = {64, 128, 256, 512};
        for (int l = 0; l < 4; l++) {
            for (int b = 0; b < layers[l]; b++) {
                int stride = (b == 0 && l > 0) ? 2 : 1;
                String n = p + "layer" + (l + 1) + "." + b + ".";
                Sequential down = null;
                if (stride != 1 || inplanes != planes[l] * expansion) {
                    down = new Sequential()
                            .add(Conv2d.kaimingFanOut(
                                    store, seed, n + "downsample.0", inplanes, planes[l] * expansion, 1, stride, 0, g))
                            .add(BatchNorm.affine(store, n + "downsample.1", planes[l] * expansion, 1f, g));
                }
                Sequential main = bottleneck
                        ? bottleneck(store, seed, n, inplanes, planes[l], stride)
                        : basic(store, seed, n, inplanes, planes[l], stride);
                s.add(new Residual(main, down));
                inplanes = planes[l] * expansion;
            }
        }
        s.add(GlobalAvgPool.INSTANCE);
        return new Built(s, 512 * expansion);
    }

    private static Sequential basic(ParamStore store, long seed, String n, int in, int planes, int stride) {
        Group g = Group.ENCODER;
        return new Sequential()
                .add(Conv2d.kaimingFanOut(store, seed, n + "conv1", in, planes, 3, stride, 1, g))
                .add(BatchNorm.affine(store, n + "bn1", planes, 1f, g))
                .add(Relu.INSTANCE)
                .add(Conv2d.kaimingFanOut(store, seed, n + "conv2", planes, planes, 3, 1, 1, g))
                // zero-init the last BN γ of every residual block (each block starts as the identity)
                .add(BatchNorm.affine(store, n + "bn2", planes, 0f, g));
    }

    private static Sequential bottleneck(ParamStore store, long seed, String n, int in, int planes, int stride) {
        Group g = Group.ENCODER;
        return new Sequential()
                .add(Conv2d.kaimingFanOut(store, seed, n + "conv1", in, planes, 1, 1, 0, g))
                .add(BatchNorm.affine(store, n + "bn1", planes, 1f, g))
                .add(Relu.INSTANCE)
                .add(Conv2d.kaimingFanOut(store, seed, n + "conv2", planes, planes, 3, stride, 1, g))
                .add(BatchNorm.affine(store, n + "bn2", planes, 1f, g))
                .add(Relu.INSTANCE)
                .add(Conv2d.kaimingFanOut(store, seed, n + "conv3", planes, planes * 4, 1, 1, 0, g))
                .add(BatchNorm.affine(store, n + "bn3", planes * 4, 0f, g));
    }
}
