package org.contssl.model.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.contssl.model.Engines;

/**
 * The linear probe of {@link LinearProbe} (same initialisation, per-epoch shuffle, cosine schedule and
 * {@link LarcSgd} update) for feature sets that do not fit the heap: rows stream from a {@link MappedFeatureFile}
 * one mini-batch at a time, and the two products of each step, the forward {@code logits = X W^T + b} and the weight
 * gradient {@code dW = G^T X}, run as fp32 GEMMs on the engine (libtorch: MKL sgemm on all intra-op threads).
 *
 * Weights, bias and momentum buffers stay on the engine; the LARC update runs there too.
 *
 * <p>Not bit-identical to {@link LinearProbe}: that kernel accumulates dot products, the softmax and the LARC norms in
 * double, this one in float32, so weights differ in the last bits and accuracies agree to a fraction of a point; the
 * small probe sets of the demo keep using {@link LinearProbe}. See docs/performance.md for measured speed.
 */
public final class GemmLinearProbe {
    /**
     * Counters of the last {@link #train} call, for benchmarks: {@code engineSeconds} is the part spent in the engine
     * (uploads, GEMMs, softmax, downloads), the rest is gathering, normalising and the LARC updates;
     * {@code bestFullStepSeconds} is the fastest whole step (gather to update) of a full-size batch, comparable to a
     * best-of-N peak on a shared machine; {@code meanLossLastEpoch} covers only the batches run when the call stopped
     * early.
     */
    public record Stats(long batches, long rows, double gemmFlops, double seconds, double engineSeconds,
                        double bestFullStepSeconds, double meanLossLastEpoch) {}

    private final ProbeSettings settings;
    private Stats stats = new Stats(0, 0, 0, 0, 0, Double.NaN, Double.NaN);

    public GemmLinearProbe(ProbeSettings settings) {
        this.settings = settings;
    }

    public Stats stats() { return stats; }

    /** Trains on all epochs of {@code settings} over every row of {@code features}. */
    public LinearClassifier train(MappedFeatureFile features) {
        return train(features, Long.MAX_VALUE);
    }

    /**
     * Trains, stopping after {@code maxBatches} mini-batches in total (a benchmark measures a slice of an epoch and
     * extrapolates); the classifier is then only partly trained.
     */
    public LinearClassifier train(MappedFeatureFile features, long maxBatches) {
        return Engines.call(() -> fit(features, maxBatches));
    }

    private LinearClassifier fit(MappedFeatureFile f, long maxBatches) {
        int n = f.rows(), d = f.dim(), nc = f.numClasses();
        int bsMax = Math.min(settings.batchSize(), n);
        float[] w0 = new float[Math.multiplyExact(nc, d)];
        Random init = new Random(settings.seed());
        for (int i = 0; i < w0.length; i++) {
            w0[i] = (float) (0.01 * init.nextGaussian());
        }
        float[] xb = new float[Math.multiplyExact(bsMax, d)];
        float[] onehot = new float[Math.multiplyExact(bsMax, nc)];
        int[] order = new int[n];
        long batches = 0, seen = 0;
        double flops = 0, lastLoss = Double.NaN;
        long t0 = System.nanoTime(), engineNanos = 0, bestStep = Long.MAX_VALUE;
        // weights, bias and momentum stay on the engine for the whole fit: per step only the batch goes up and one
        // loss scalar and the four LARC norms come back (copying 2M-float tensors both ways cost as much as a GEMM)
        try (NDManager pm = Engines.newManager()) {
            NDArray w = pm.create(w0, new Shape(nc, d));
            NDArray b = pm.zeros(new Shape(nc));
            NDArray vw = null, vb = null;
            outer:
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                LinearProbe.shuffle(order, settings.seed(), epoch);
                double lr = settings.lrForEpoch(epoch);
                double lossSum = 0;
                long epochRows = 0;
                for (int start = 0; start < n; start += bsMax) {
                    if (batches == maxBatches) {
                        lastLoss = lossSum / Math.max(1, epochRows); // mean over the rows of the partial epoch
                        break outer;
                    }
                    int bs = Math.min(bsMax, n - start);
                    long s0 = System.nanoTime();
                    f.gather(order, start, bs, xb);
                    normalizeRows(xb, bs, d);
                    java.util.Arrays.fill(onehot, 0, bs * nc, 0f);
                    for (int i = 0; i < bs; i++) {
                        onehot[i * nc + f.label(order[start + i])] = 1f;
                    }
                    long e0 = System.nanoTime();
                    try (NDManager m = pm.newSubManager()) {
                        NDArray x = m.create(bs == bsMax ? xb : java.util.Arrays.copyOf(xb, bs * d), new Shape(bs, d));
                        NDArray y = m.create(bs == bsMax ? onehot : java.util.Arrays.copyOf(onehot, bs * nc), new Shape(bs, nc));
                        NDArray logp = x.matMul(w.transpose()).add(b).logSoftmax(1);
                        lossSum -= logp.mul(y).sum().getFloat();
                        // d(mean CE)/d logits = (softmax - onehot) / bs
                        NDArray g = logp.exp().sub(y).div(bs);
                        NDArray gw = g.transpose().matMul(x);
                        NDArray gb = g.sum(new int[] {0});
                        boolean first = vw == null;
                        NDArray nvw = larcVelocity(w, gw, first ? null : vw);
                        NDArray nvb = larcVelocity(b, gb, first ? null : vb);
                        // keep the new buffers beyond this step's manager, drop the old ones
                        nvw.attach(pm);
                        nvb.attach(pm);
                        if (!first) {
                            vw.close();
                            vb.close();
                        }
                        vw = nvw;
                        vb = nvb;
                        w.subi(vw.mul(lr));
                        b.subi(vb.mul(lr));
                    }
                    long s1 = System.nanoTime();
                    engineNanos += s1 - e0;
                    if (bs == bsMax) {
                        bestStep = Math.min(bestStep, s1 - s0);
                    }
                    batches++;
                    seen += bs;
                    epochRows += bs;
                    flops += 4.0 * bs * d * nc; // two GEMMs of 2*bs*d*nc each
                }
                lastLoss = lossSum / epochRows;
                if (!Double.isFinite(lastLoss)) {
                    throw new IllegalStateException("linear probe diverged (loss " + lastLoss + ") in epoch " + epoch + "; lower lincls lr (now " + settings.lr() + ")");
                }
            }
            stats = new Stats(batches, seen, flops, (System.nanoTime() - t0) / 1e9, engineNanos / 1e9, bestStep / 1e9, lastLoss);
            return new LinearClassifier(w.toFloatArray(), b.toFloatArray(), nc, d);
        }
    }

    /**
     * The new momentum buffer of one tensor under {@link LarcSgd}'s rule, computed on the engine in float32 (norms
     * included): LARC rescales the gradient only when both norms are non-zero; the first step sets v = g.
     */
    private NDArray larcVelocity(NDArray w, NDArray g, NDArray v) {
        double wn = w.norm().getFloat(), gn = g.norm().getFloat();
        boolean rescale = wn != 0 && gn != 0;
        double scale = rescale ? settings.trustCoefficient() * wn / (gn + settings.weightDecay() * wn + ProbeSettings.LARC_EPS) : 1.0;
        NDArray gi = rescale && settings.weightDecay() != 0 ? g.add(w.mul(settings.weightDecay())).mul(scale) : g.mul(scale);
        return v == null ? gi : v.mul(settings.momentum()).add(gi);
    }

    /** Row-wise L2 normalisation with the same arithmetic as {@link FeatureMatrix#l2Normalized()}. */
    static void normalizeRows(float[] x, int rows, int dim) {
        for (int r = 0; r < rows; r++) {
            int off = r * dim;
            double ss = 0;
            for (int k = 0; k < dim; k++) {
                double v = x[off + k];
                ss += v * v;
            }
            double inv = 1.0 / Math.max(Math.sqrt(ss), 1e-12);
            for (int k = 0; k < dim; k++) {
                x[off + k] = (float) (x[off + k] * inv);
            }
        }
    }

    /** Top-1/top-5 of {@code head} on raw (not yet normalised) mapped test features, gathered in batches. */
    public static TopKAccuracy evaluate(LinearClassifier head, MappedFeatureFile test) {
        int d = test.dim(), n = test.rows(), chunk = Math.max(1, Math.min(n, (1 << 22) / d));
        float[] buf = new float[chunk * d];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        int k5 = Math.min(5, head.numClasses());
        double[] scores = new double[head.numClasses()];
        int c1 = 0, c5 = 0;
        for (int start = 0; start < n; start += chunk) {
            int cnt = Math.min(chunk, n - start);
            test.gather(idx, start, cnt, buf);
            normalizeRows(buf, cnt, d);
            for (int r = 0; r < cnt; r++) {
                head.logits(buf, r, scores);
                int rank = TopKAccuracy.rankOf(scores, test.label(start + r));
                if (rank == 0) c1++;
                if (rank < k5) c5++;
            }
        }
        return TopKAccuracy.of(c1, c5, n);
    }
}
