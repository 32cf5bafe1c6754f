package org.contssl.model.io;

/**
 * contssl tensor names ↔ the reference system's state_dict names (docs/pytorch-interop.md, "Name mapping").
 *
 * <p>contssl names a SimSiam as {@code encoder = Sequential(backbone, projector)}: {@code encoder.0.*} is the
 * backbone, {@code encoder.1.*} the projector, {@code predictor.*} the predictor. The reference builds its encoder
 * as a torchvision ResNet whose {@code fc} is replaced by the projector, so the same tensors are called
 * {@code encoder.<torchvision name>} and {@code encoder.fc.*}; saved from DistributedDataParallel they carry a
 * leading {@code module.}. The conv4 backbone has no reference counterpart; in reference layout its layers are
 * {@code encoder.features.<i>.*} (torchvision's name for a plain conv stack) with the projector again as
 * {@code encoder.fc.*}. The CIFAR stem changes only the shape of {@code conv1.weight}, never a name; BN's
 * {@code num_batches_tracked} has no contssl counterpart (see {@link #isBatchCounter}).
 *
 * <p>The names contssl uses internally never change: they seed the initial weights and key its own checkpoints.
 */
public final class ReferenceNames {
    /** The prefix DistributedDataParallel adds to every key. */
    public static final String DDP_PREFIX = "module.";
    private static final String BACKBONE = "encoder.0.";
    private static final String PROJECTOR = "encoder.1.";
    private static final String REF_PROJECTOR = "encoder.fc.";
    private static final String CONV4_FEATURES = "encoder.features.";
    private static final String BATCH_COUNTER = ".num_batches_tracked";

    private ReferenceNames() {
    }

    /** The reference name (without {@code module.}) of contssl tensor {@code name} of a {@code backbone} model. */
    public static String toReference(String name, String backbone) {
        if (name.startsWith(PROJECTOR)) {
            return REF_PROJECTOR + name.substring(PROJECTOR.length());
        }
        if (name.startsWith(BACKBONE)) {
            String rest = name.substring(BACKBONE.length());
            return (backbone.equals("conv4") ? CONV4_FEATURES : "encoder.") + rest;
        }
        if (name.startsWith("predictor.")) {
            return name;
        }
        throw new IllegalArgumentException("tensor " + name + " is not part of a contssl SimSiam");
    }

    /**
     * The contssl name of reference tensor {@code name} (without {@code module.}), or null when no contssl tensor
     * corresponds to it.
     */
    public static String fromReference(String name, String backbone) {
        if (name.startsWith(REF_PROJECTOR)) {
            return PROJECTOR + name.substring(REF_PROJECTOR.length());
        }
        if (name.startsWith("predictor.")) {
            return name;
        }
        if (backbone.equals("conv4")) {
            return name.startsWith(CONV4_FEATURES) ? BACKBONE + name.substring(CONV4_FEATURES.length()) : null;
        }
        if (name.startsWith("encoder.") && !name.startsWith(BACKBONE) && !name.startsWith(PROJECTOR)) {
            return BACKBONE + name.substring("encoder.".length());
        }
        return null;
    }

    /**
     * True for names in contssl's own layout ({@code encoder.0.*} / {@code encoder.1.*}), which is also what a
     * PyTorch {@code SimSiam} built as {@code Sequential(backbone, projector)} saves.
     */
    public static boolean isContsslLayout(String name) {
        return name.startsWith(BACKBONE) || name.startsWith(PROJECTOR);
    }

    /** BatchNorm's {@code num_batches_tracked}: only used by a BN with momentum None, which SimSiam never has. */
    public static boolean isBatchCounter(String name) {
        return name.endsWith(BATCH_COUNTER);
    }

    /** The BN layer a {@code num_batches_tracked} belongs to, as its {@code running_mean} tensor's name. */
    public static String runningMeanOf(String batchCounter) {
        return batchCounter.substring(0, batchCounter.length() - BATCH_COUNTER.length()) + ".running_mean";
    }

    /** The {@code num_batches_tracked} name of the BN layer whose running mean is {@code runningMean}. */
    public static String batchCounterOf(String runningMean) {
        return runningMean.substring(0, runningMean.length() - ".running_mean".length()) + BATCH_COUNTER;
    }
}
