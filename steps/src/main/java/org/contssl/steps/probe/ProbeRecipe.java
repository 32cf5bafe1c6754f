package org.contssl.steps.probe;

import org.contssl.steps.config.LinclsConfig;
import org.contssl.steps.config.RunConfig;

/**
 * The linear-probe schedule and transforms one probe set gets: the configured {@code lincls.<set>.optim.*} values,
 * each 0 replaced by the mode's default.
 *
 * <p>{@code cached} (features extracted once): batch 64, lr 12.0, epochs auto. The reference's recipe (1024 × 10
 * epochs on 1.28M images) gives a 10k-image probe set only ~100 steps; LARC bounds every step to 0.1 % of the weight
 * norm times the LR, and L2-normalised convnet features (all in one orthant after ReLU) need large weights: with
 * the reference's ImageNet LR of 3.0, 20 epochs left a random-init encoder at 76.8 % on the demo's Fashion-MNIST
 * features (60 epochs: 81.2 %; a converged L-BFGS fit: 81.6 %); the reference's iNat LR of 12.0 gets there in 20
 * epochs (81.1 %, trained encoder 83.8 %, raw pixels 82.7 %), a third of the cost. So auto epochs are at least
 * {@link #MIN_EPOCHS} epochs and {@link #MIN_STEPS} SGD steps, which also keeps small (per-domain) sets trained.
 *
 * <p>{@code reference} (docs/reference-system.md §9.1): the reference's per-set recipe — imnet 1024 / 3.0
 * / 10 epochs, inat 1024 / 12.0 / 20, imnet21k 1024 / 3.0 / 30; another name takes its role's recipe (imnet's for
 * in-distribution, inat's for out-of-distribution) — on views re-augmented every epoch, scored on
 * Resize(insize·256/224) + CenterCrop(insize).
 *
 * @param mode             {@code cached} or {@code reference}
 * @param epochs           linear-probe epochs (already resolved for the training-set size)
 * @param lr               base LR
 * @param batchSize        minibatch
 * @param evalCropFraction centre-crop fraction of the eval transform
 */
public record ProbeRecipe(String mode, int epochs, double lr, int batchSize, double evalCropFraction) {

    static final int MIN_STEPS = 3000;
    static final int MIN_EPOCHS = 20;
    static final int CACHED_BATCH = 64;
    static final double CACHED_LR = 12.0;
    /** The reference evaluates on Resize(256) + CenterCrop(224). */
    public static final double REFERENCE_EVAL_CROP = 224.0 / 256.0;
    /** RandomResizedCrop's default area range in the reference's probe training transform. */
    public static final double REFERENCE_CROP_SCALE_MIN = 0.08;

    /** The recipe of probe set {@code set} (its {@code lincls.<set>} settings) for {@code trainRows} images. */
    public static ProbeRecipe of(RunConfig config, String set, String role, int trainRows) {
        LinclsConfig l = config.lincls();
        LinclsConfig.Optim o = l.optim(set);
        boolean reference = l.reference();
        int refEpochs;
        double refLr;
        if (set.equals("imnet21k")) {
            refEpochs = 30;
            refLr = 3.0;
        } else if (set.equals(LinclsConfig.INAT)
                || (!set.equals(LinclsConfig.IMNET) && "out-of-distribution".equals(role))) {
            refEpochs = 20;
            refLr = 12.0;
        } else {
            refEpochs = 10;
            refLr = 3.0;
        }
        int batch = o.batchSize() > 0 ? o.batchSize() : reference ? 1024 : CACHED_BATCH;
        double lr = o.lr() > 0 ? o.lr() : reference ? refLr : CACHED_LR;
        int epochs = o.epochs() > 0 ? o.epochs() : reference ? refEpochs : autoEpochs(batch, trainRows);
        double crop = evalCropFraction(config);
        return new ProbeRecipe(l.mode(), epochs, lr, batch, crop);
    }

    /** The eval transform's crop fraction: the configured one, else the mode's default. */
    public static double evalCropFraction(RunConfig config) {
        LinclsConfig l = config.lincls();
        if (l.evalCropFraction() > 0) {
            return l.evalCropFraction();
        }
        return l.reference() ? REFERENCE_EVAL_CROP : 1.0;
    }

    /** At least {@link #MIN_EPOCHS} epochs and {@link #MIN_STEPS} SGD steps (see the class comment). */
    static int autoEpochs(int batchSize, int trainRows) {
        int stepsPerEpoch = Math.max(1, (trainRows + batchSize - 1) / batchSize);
        return Math.max(MIN_EPOCHS, (MIN_STEPS + stepsPerEpoch - 1) / stepsPerEpoch);
    }

    public boolean reference() {
        return LinclsConfig.REFERENCE.equals(mode);
    }
}
