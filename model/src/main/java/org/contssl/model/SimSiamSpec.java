package org.contssl.model;

/**
 * Architecture of a SimSiam model: backbone ({@code model.backbone}), input channels and size, and the CIFAR stem
 * (3×3 stride-1 first conv, no max-pool) for small inputs. Projector/predictor widths follow the reference configs:
 * resnet18 512/128, resnet50 2048/512, conv4 512/128 (as the PyTorch benchmark script).
 */
public record SimSiamSpec(String backbone, int inChannels, int insize, boolean cifarStem) {

    public SimSiamSpec {
        if (!backbone.equals("conv4") && !backbone.equals("resnet18") && !backbone.equals("resnet50")) {
            throw new IllegalArgumentException(
                    "model.backbone=" + backbone + " is not one of conv4, resnet18, resnet50");
        }
        if (inChannels < 1) {
            throw new IllegalArgumentException("input channels must be >= 1, got " + inChannels);
        }
        if (insize < 8) {
            throw new IllegalArgumentException("data.insize=" + insize + " is too small: use at least 8 pixels");
        }
    }

    public static SimSiamSpec of(String backbone, int inChannels, int insize, boolean cifarStem) {
        return new SimSiamSpec(backbone, inChannels, insize, cifarStem);
    }

    /** Width of the pooled backbone feature (what the probes see). */
    public int featureDim() {
        return switch (backbone) {
            case "conv4" -> 256;
            case "resnet18" -> 512;
            default -> 2048;
        };
    }

    /** Projector output / predictor output dimension. */
    public int dim() {
        return backbone.equals("resnet50") ? 2048 : 512;
    }

    /** Predictor hidden width. */
    public int predDim() {
        return backbone.equals("resnet50") ? 512 : 128;
    }

    /** Floats in one image (C·H·W). */
    public int imageFloats() {
        return inChannels * insize * insize;
    }
}
