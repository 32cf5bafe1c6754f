package org.contssl.model.probe;

import org.contssl.core.SplitMix64;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The reference's linear probe (docs/reference-system.md §9.1) on cached features: the features are L2-normalised,
 * a linear layer (weight ~ N(0, 0.01^2), bias 0) is trained with cross-entropy by SGD momentum 0.9 wrapped in LARC
 * (trust 0.001, no clipping, eps 1e-8, weight decay 0), with a cosine learning rate that is constant inside an epoch.
 * Shuffling is seeded per epoch, so the same features and settings always give the same classifier.
 *
 * <p>Pure Java on one thread: a 10k x 512 probe set trains in about a second.
 */
public final class LinearProbe {
    private final ProbeSettings settings;
    private final List<Double> epochLosses = new ArrayList<>();

    public LinearProbe(ProbeSettings settings) {
        this.settings = settings;
    }

    public ProbeSettings settings() { return settings; }

    /** Mean training cross-entropy of each epoch of the last {@link #train} call (diagnostics for the report). */
    public List<Double> epochLosses() { return Collections.unmodifiableList(epochLosses); }

    /** Trains on {@code train} (raw features; normalised here) and scores {@code test}. */
    public TopKAccuracy fitAndEvaluate(FeatureMatrix train, FeatureMatrix test) {
        return evaluate(train(train), test);
    }

    /** Top-1/top-5 of a trained head on raw (not yet normalised) test features. */
    public static TopKAccuracy evaluate(LinearClassifier head, FeatureMatrix test) {
        return head.accuracyOnNormalized(test.l2Normalized());
    }

    /** Trains the head on raw (not yet normalised) features. */
    public LinearClassifier train(FeatureMatrix rawTrain) {
        FeatureMatrix train = rawTrain.l2Normalized();
        return fit(epoch -> train);
    }

    /**
     * The raw (not yet normalised) training features of each epoch, for probes whose training views are
     * re-augmented every epoch as the reference's; every epoch must give the same rows (images) and labels.
     */
    @FunctionalInterface
    public interface EpochFeatures {
        FeatureMatrix rawTrain(int epoch);
    }

    /** Trains the head with fresh features every epoch (see {@link EpochFeatures}). */
    public LinearClassifier train(EpochFeatures perEpoch) {
        return fit(epoch -> perEpoch.rawTrain(epoch).l2Normalized());
    }

    private LinearClassifier fit(java.util.function.IntFunction<FeatureMatrix> normalizedOfEpoch) {
        FeatureMatrix train = normalizedOfEpoch.apply(0);
        int n = train.rows();
        int d = train.dim();
        int nc = train.numClasses();
        Random init = new Random(settings.seed());
        float[] w = new float[Math.multiplyExact(nc, d)];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.01 * init.nextGaussian());
        }
        float[] b = new float[nc];
        LinearClassifier head = new LinearClassifier(w, b, nc, d);
        LarcSgd opt = LarcSgd.of(settings);
        float[] vw = new float[w.length];
        float[] vb = new float[nc];
        float[] gw = new float[w.length];
        float[] gb = new float[nc];
        double[] logits = new double[nc];
        float[] x = train.values();
        int[] order = new int[n];
        boolean first = true;
        epochLosses.clear();
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            if (epoch > 0) {
                FeatureMatrix next = normalizedOfEpoch.apply(epoch);
                if (next != train) {
                    if (next.rows() != n || next.dim() != d || next.numClasses() != nc) {
                        throw new IllegalArgumentException("epoch " + epoch + " features are " + next.rows() + " x "
                                + next.dim() + ", epoch 0's " + n + " x " + d + ": every epoch must cover the same images");
                    }
                    train = next;
                    x = train.values();
                }
            }
            shuffle(order, settings.seed(), epoch);
            double lr = settings.lrForEpoch(epoch);
            double lossSum = 0;
            for (int start = 0; start < n; start += settings.batchSize()) {
                int end = Math.min(n, start + settings.batchSize());
                int bs = end - start;
                java.util.Arrays.fill(gw, 0f);
                java.util.Arrays.fill(gb, 0f);
                for (int i = start; i < end; i++) {
                    int r = order[i];
                    head.logits(x, r, logits);
                    lossSum += softmaxCrossEntropyGrad(logits, train.label(r));
                    // logits now hold dL/dlogits for this sample; the batch loss is the mean
                    int off = r * d;
                    for (int c = 0; c < nc; c++) {
                        float gc = (float) (logits[c] / bs);
                        if (gc == 0f) continue;
                        gb[c] += gc;
                        int w0 = c * d;
                        for (int k = 0; k < d; k++) {
                            gw[w0 + k] += gc * x[off + k];
                        }
                    }
                }
                opt.step(w, gw, vw, first, lr);
                opt.step(b, gb, vb, first, lr);
                first = false;
            }
            double meanLoss = lossSum / n;
            if (!Double.isFinite(meanLoss)) {
                throw new IllegalStateException("linear probe diverged (loss " + meanLoss + ") in epoch " + epoch + "; lower lincls lr (now " + settings.lr() + ")");
            }
            epochLosses.add(meanLoss);
        }
        return head;
    }

    /** Replaces {@code z} by softmax(z) - onehot(y) and returns the cross-entropy -log softmax(z)[y]. */
    static double softmaxCrossEntropyGrad(double[] z, int y) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        double loss = -Math.log(z[y] / sum);
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
        z[y] -= 1.0;
        return loss;
    }

    /** Fisher-Yates with a generator derived from (seed, epoch), so an epoch's order never depends on earlier epochs. */
    static void shuffle(int[] order, long seed, int epoch) {
        for (int i = 0; i < order.length; i++) order[i] = i;
        Random rnd = new Random(mix(seed, epoch));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** SplitMix64 finaliser of (seed, epoch): decorrelates the per-epoch generators of nearby seeds. */
    static long mix(long seed, long salt) {
        return SplitMix64.mix(seed + SplitMix64.GOLDEN * (salt + 1));
    }
}
