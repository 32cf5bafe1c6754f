package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * SimSiam (docs/reference-system.md §5): encoder = backbone + 3-layer projector
 * {@code Linear(c→c, no bias)-BN-ReLU-Linear(c→c, no bias)-BN-ReLU-Linear(c→dim, bias frozen)-BN(no affine)}, predictor
 * {@code Linear(dim→pred, no bias)-BN-ReLU-Linear(pred→dim)}.
 *
 * <p>Tensor names are contssl's own: the encoder is laid out as {@code Sequential(backbone, projector)}, so the
 * backbone is {@code encoder.0.*} (torchvision names below it, e.g. {@code encoder.0.layer1.0.conv1.weight}), the
 * projector {@code encoder.1.*} and the predictor {@code predictor.*}. They are <em>not</em> the reference's
 * state_dict keys: the reference replaces the ResNet's {@code fc} by the projector, giving
 * {@code module.encoder.conv1.weight}, {@code module.encoder.fc.0.weight}, {@code module.predictor.0.weight}.
 * {@link org.contssl.model.io.ReferenceNames} maps between the two (docs/pytorch-interop.md); the names here must
 * never change, because they seed the initial weights ({@link Init}) and key contssl's checkpoints.
 */
public final class SimSiamNet implements AutoCloseable {
    private final ParamStore store;
    private final Module backbone;
    private final Sequential projector;
    private final Sequential predictor;
    private final int featureDim;
    private final int dim;
    private final int predDim;

    private SimSiamNet(ParamStore store, Module backbone, Sequential projector, Sequential predictor,
                       int featureDim, int dim, int predDim) {
        this.store = store;
        this.backbone = backbone;
        this.projector = projector;
        this.predictor = predictor;
        this.featureDim = featureDim;
        this.dim = dim;
        this.predDim = predDim;
    }

    /**
     * Builds and initialises the network.
     *
     * @param arch conv4, resnet18 or resnet50
     * @param withHeads false builds the backbone only (frozen feature extraction)
     */
    public static SimSiamNet create(NDManager parent, String arch, int inChannels, boolean cifarStem,
                                    int dim, int predDim, long seed, boolean withHeads) {
        ParamStore store = new ParamStore(parent);
        try {
            Backbones.Built b = switch (arch) {
                case "conv4" -> Backbones.conv4(store, seed, "encoder.0.", inChannels);
                case "resnet18" -> Backbones.resnet18(store, seed, "encoder.0.", inChannels, cifarStem);
                case "resnet50" -> Backbones.resnet50(store, seed, "encoder.0.", inChannels, cifarStem);
                default -> throw new IllegalArgumentException(
                        "model.backbone=" + arch + " is not one of conv4, resnet18, resnet50");
            };
            Sequential projector = null;
            Sequential predictor = null;
            if (withHeads) {
                int c = b.featureDim();
                Group e = Group.ENCODER;
                projector = new Sequential()
                        .add(Linear.of(store, seed, "encoder.1.0", c, c, Linear.Bias.NONE, e))
                        .add(BatchNorm.affine(store, "encoder.1.1", c, 1f, e))
                        .add(Relu.INSTANCE)
                        .add(Linear.of(store, seed, "encoder.1.3", c, c, Linear.Bias.NONE, e))
                        .add(BatchNorm.affine(store, "encoder.1.4", c, 1f, e))
                        .add(Relu.INSTANCE)
                        .add(Linear.of(store, seed, "encoder.1.6", c, dim, Linear.Bias.FROZEN, e))
                        .add(BatchNorm.noAffine(store, "encoder.1.7", dim, e));
                Group p = Group.PREDICTOR;
                predictor = new Sequential()
                        .add(Linear.of(store, seed, "predictor.0", dim, predDim, Linear.Bias.NONE, p))
                        .add(BatchNorm.affine(store, "predictor.1", predDim, 1f, p))
                        .add(Relu.INSTANCE)
                        .add(Linear.of(store, seed, "predictor.3", predDim, dim, Linear.Bias.TRAINABLE, p));
            }
            return new SimSiamNet(store, b.module(), projector, predictor, b.featureDim(), dim, predDim);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Pooled backbone feature (N, featureDim). */
    public NDArray backbone(Ctx ctx, NDArray x) {
        return backbone.forward(ctx, x);
    }

    /** Projector output z (N, dim). */
    public NDArray project(Ctx ctx, NDArray h) {
        return projector.forward(ctx, h);
    }

    /** Predictor output p (N, dim). */
    public NDArray predict(Ctx ctx, NDArray z) {
        return predictor.forward(ctx, z);
    }

    public ParamStore params() {
        return store;
    }

    public int featureDim() {
        return featureDim;
    }

    public int dim() {
        return dim;
    }

    public int predDim() {
        return predDim;
    }

    /** Forward multiply-accumulates per sample and per view: backbone, projector+predictor, and the first conv. */
    public long[] forwardMacs(long[] inputShape) {
        long bb = backbone.macs(inputShape);
        long heads = 0;
        if (projector != null) {
            heads = projector.macs(new long[] {featureDim}) + predictor.macs(new long[] {dim});
        }
        long first = 0;
        Module m = backbone;
        if (m instanceof Sequential s && !s.modules().isEmpty()) {
            first = s.modules().get(0).macs(inputShape);
        }
        return new long[] {bb, heads, first};
    }

    @Override
    public void close() {
        store.close();
    }
}
