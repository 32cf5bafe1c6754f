package org.contssl.model.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.contssl.model.Engines;

/**
 * The cosine kNN of {@link KnnClassifier} (same similarity-weighted vote {@code exp(s / T)}, same tie rules) over
 * memory-mapped features, for banks that do not fit the heap: a block of queries is held in the heap, the training
 * bank streams past it tile by tile, and each block x tile of similarities is one fp32 GEMM on the engine. The heap
 * holds one query block, one bank tile and their similarities (about 48 MB), whatever the bank's size.
 *
 * <p>Not bit-identical to {@link KnnClassifier}: the engine sums the dot products in another order, so neighbours
 * whose similarities agree to the last float bits may swap places; accuracies agree to a fraction of a point.
 */
public final class GemmKnn {
    /** Floats of one query block or one bank tile (16 MB each). */
    private static final int BLOCK_FLOATS = 1 << 22;

    private final int k;
    private final double temperature;

    public GemmKnn(int k, double temperature) {
        if (k < 1) throw new IllegalArgumentException("knn k must be >= 1, got " + k);
        if (!(temperature > 0)) throw new IllegalArgumentException("knn temperature must be positive, got " + temperature);
        this.k = k;
        this.temperature = temperature;
    }

    /** Top-1/top-5 of the kNN vote on {@code test} with {@code train} as the bank (both raw; normalised here). */
    public TopKAccuracy evaluate(MappedFeatureFile train, MappedFeatureFile test) {
        if (train.dim() != test.dim()) {
            throw new IllegalArgumentException("knn: train features have dim " + train.dim() + " but test features have dim " + test.dim());
        }
        return Engines.call(() -> run(train, test));
    }

    private TopKAccuracy run(MappedFeatureFile train, MappedFeatureFile test) {
        int d = train.dim(), n = train.rows(), m = test.rows();
        int nc = Math.max(train.numClasses(), test.numClasses());
        int kk = Math.min(k, n);
        // a block of at most 1,024 queries, a tile of at most BLOCK_FLOATS / max(d, qb) rows: queries, tile and
        // their similarity block each stay within BLOCK_FLOATS, for any d
        int qb = Math.max(1, Math.min(m, Math.min(1024, BLOCK_FLOATS / d)));
        int tb = Math.max(1, Math.min(n, BLOCK_FLOATS / Math.max(d, qb)));
        float[] q = new float[Math.multiplyExact(qb, d)];
        float[] t = new float[Math.multiplyExact(tb, d)];
        float[][] topSim = new float[qb][kk];
        int[][] topIdx = new int[qb][kk];
        double[] scores = new double[nc];
        int k5 = Math.min(5, nc);
        int c1 = 0, c5 = 0;
        for (int q0 = 0; q0 < m; q0 += qb) {
            int qn = Math.min(qb, m - q0);
            readRows(test, q0, qn, q);
            GemmLinearProbe.normalizeRows(q, qn, d);
            for (int i = 0; i < qn; i++) {
                Arrays.fill(topSim[i], Float.NEGATIVE_INFINITY);
                Arrays.fill(topIdx[i], Integer.MAX_VALUE);
            }
            try (NDManager mgr = Engines.newManager()) {
                NDArray queries = mgr.create(qn == qb ? q : Arrays.copyOf(q, qn * d), new Shape(qn, d));
                for (int t0 = 0; t0 < n; t0 += tb) {
                    int tn = Math.min(tb, n - t0);
                    readRows(train, t0, tn, t);
                    GemmLinearProbe.normalizeRows(t, tn, d);
                    float[] sims;
                    try (NDManager step = mgr.newSubManager()) {
                        NDArray bank = step.create(tn == tb ? t : Arrays.copyOf(t, tn * d), new Shape(tn, d));
                        sims = queries.matMul(bank.transpose()).toFloatArray(); // qn x tn, row-major
                    }
                    for (int i = 0; i < qn; i++) {
                        TopSimilar.offer(sims, i * tn, tn, t0, topSim[i], topIdx[i]);
                    }
                }
            }
            for (int i = 0; i < qn; i++) {
                Arrays.fill(scores, 0.0);
                for (int j = 0; j < kk; j++) {
                    scores[train.label(topIdx[i][j])] += Math.exp(topSim[i][j] / temperature);
                }
                int rank = TopKAccuracy.rankOf(scores, test.label(q0 + i));
                if (rank == 0) c1++;
                if (rank < k5) c5++;
            }
        }
        return TopKAccuracy.of(c1, c5, m);
    }

    private static void readRows(MappedFeatureFile f, int first, int count, float[] dst) {
        for (int i = 0; i < count; i++) {
            f.readRow(first + i, dst, i * f.dim());
        }
    }
}
