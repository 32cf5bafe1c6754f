package org.contssl.model.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.Random;
import org.contssl.model.Engines;
import org.contssl.model.nn.Tensors;

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
        // the batch reaches the engine through two reused, aligned direct buffers that the step's tensors view: no
        // per-step 8 MB allocation, page faults and double copy as with NDManager.create(float[])
        ByteBuffer xStage = Tensors.alignedBuffer(xb.length);
        ByteBuffer yStage = Tensors.alignedBuffer(onehot.length);
        int[] order = new int[n];
        long batches = 0, seen = 0;
        double flops = 0, lastLoss = Double.NaN, prevLr = Double.NaN;
        long t0 = System.nanoTime(), engineNanos = 0, bestStep = Long.MAX_VALUE;
        // weights, bias and the (lr-scaled) momentum buffers stay on the engine for the whole fit: per step only the
        // batch goes up and one loss scalar and the four LARC norms come back
        try (NDManager pm = Engines.newManager()) {
            NDArray w = pm.create(w0, new Shape(nc, d));
            NDArray b = pm.zeros(new Shape(nc));
            NDArray uw = null, ub = null;
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
                    Tensors.stage(xStage, 0, xb, 0, bs * d);
                    java.util.Arrays.fill(onehot, 0, bs * nc, 0f);
                    for (int i = 0; i < bs; i++) {
                        onehot[i * nc + f.label(order[start + i])] = 1f;
                    }
                    Tensors.stage(yStage, 0, onehot, 0, bs * nc);
                    long e0 = System.nanoTime();
                    try (NDManager m = pm.newSubManager()) {
                        NDArray x = Tensors.view(m, xStage, bs, d);
                        NDArray y = Tensors.view(m, yStage, bs, nc);
                        NDArray logp = x.matMul(w.transpose()).addi(b).logSoftmax(1);
                        // bs * d(mean CE)/d logits = softmax - onehot (the 1/bs is folded into the LARC update);
                        // every elementwise op runs in place (a fresh 4-8 MB tensor per op costs more than the op)
                        NDArray g = logp.exp().subi(y);
                        lossSum -= y.muli(logp).sum().getFloat(); // y is dead after g: reuse it for the loss
                        NDArray gw = g.transpose().matMul(x);
                        NDArray gb = g.sum(new int[] {0});
                        uw = larcUpdate(w, gw, bs, uw, lr, prevLr, pm);
                        ub = larcUpdate(b, gb, bs, ub, lr, prevLr, pm);
                        w.subi(uw);
                        b.subi(ub);
                        prevLr = lr;
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
     * {@link LarcSgd}'s rule on the engine in float32 (norms included), in place: LARC rescales the gradient only
     * when both norms are non-zero. The momentum buffer is kept multiplied by the learning rate, {@code u = lr * v}
     * (PyTorch's {@code v = mu v + g; w -= lr v}), so {@code u = mu (lr / prevLr) u + lr g} and the update {@code w -= u}
     * need no temporary tensor; the first step sets {@code u = lr g}. {@code gSum} is {@code batch} times the mean
     * gradient (one pass fewer per step); the rule sees the mean. Returns the new {@code u}, owned by {@code keep}.
     */
    private NDArray larcUpdate(NDArray w, NDArray gSum, int batch, NDArray u, double lr, double prevLr, NDManager keep) {
        double wn = w.norm().getFloat(), gn = gSum.norm().getFloat() / batch;
        boolean rescale = wn != 0 && gn != 0;
        double scale = rescale ? settings.trustCoefficient() * wn / (gn + settings.weightDecay() * wn + ProbeSettings.LARC_EPS) : 1.0;
        NDArray g = gSum.muli(scale * lr / batch);
        if (rescale && settings.weightDecay() != 0) {
            g.addi(w.mul(settings.weightDecay() * scale * lr));
        }
        if (u == null) {
            g.attach(keep); // outlives the step's manager
            return g;
        }
        return u.muli(settings.momentum() * lr / prevLr).addi(g);
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
