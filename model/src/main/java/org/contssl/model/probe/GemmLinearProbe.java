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
 * <p>Not bit-identical to {@link LinearProbe}: that kernel accumulates dot products and the softmax in double, this one
 * in the GEMM's float32, so weights differ in the last bits and accuracies agree to a fraction of a point; the
 * small probe sets of the demo keep using {@link LinearProbe}. See docs/performance.md for measured speed.
 */
public final class GemmLinearProbe {
    /** Counters of the last {@link #train} call, for benchmarks. */
    public record Stats(long batches, long rows, double gemmFlops, double seconds, double meanLossLastEpoch) {}
    // meanLossLastEpoch covers only the batches run when the call stopped early

    private final ProbeSettings settings;
    private Stats stats = new Stats(0, 0, 0, 0, Double.NaN);

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
        float[] w = new float[Math.multiplyExact(nc, d)];
        Random init = new Random(settings.seed());
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.01 * init.nextGaussian());
        }
        float[] b = new float[nc];
        float[] vw = new float[w.length], vb = new float[nc];
        float[] xb = new float[Math.multiplyExact(bsMax, d)];
        float[] onehot = new float[Math.multiplyExact(bsMax, nc)];
        int[] order = new int[n];
        LarcSgd opt = LarcSgd.of(settings);
        boolean first = true;
        long batches = 0, seen = 0;
        double flops = 0, lastLoss = Double.NaN;
        long t0 = System.nanoTime();
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
                f.gather(order, start, bs, xb);
                normalizeRows(xb, bs, d);
                java.util.Arrays.fill(onehot, 0, bs * nc, 0f);
                for (int i = 0; i < bs; i++) {
                    onehot[i * nc + f.label(order[start + i])] = 1f;
                }
                float[][] grads;
                try (NDManager m = Engines.newManager()) {
                    NDArray x = m.create(xb.length == bs * d ? xb : java.util.Arrays.copyOf(xb, bs * d), new Shape(bs, d));
                    NDArray wt = m.create(w, new Shape(nc, d));
                    NDArray y = m.create(onehot.length == bs * nc ? onehot : java.util.Arrays.copyOf(onehot, bs * nc), new Shape(bs, nc));
                    NDArray logp = x.matMul(wt.transpose()).add(m.create(b)).logSoftmax(1);
                    lossSum -= logp.mul(y).sum().getFloat();
                    // d(mean CE)/d logits = (softmax - onehot) / bs
                    NDArray g = logp.exp().sub(y).div(bs);
                    grads = new float[][] {g.transpose().matMul(x).toFloatArray(), g.sum(new int[] {0}).toFloatArray()};
                }
                opt.step(w, grads[0], vw, first, lr);
                opt.step(b, grads[1], vb, first, lr);
                first = false;
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
        stats = new Stats(batches, seen, flops, (System.nanoTime() - t0) / 1e9, lastLoss);
        return new LinearClassifier(w, b, nc, d);
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
