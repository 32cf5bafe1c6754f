package org.contssl.model.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cosine k-nearest-neighbour classifier on L2-normalised features (k = 20 by default).
 *
 * <p><b>Voting rule</b> (the weighted vote common in self-supervised evaluation, InstDisc/DINO style): the k training
 * samples with the highest cosine similarity s to the query each add {@code exp(s / 0.07)} to their class's score; the
 * prediction is the class with the highest score (top-5: the five highest). Ties between neighbours of equal similarity
 * go to the lower training index; ties between class scores go to the lower class index. Nearer neighbours therefore
 * count more, and a plain majority is recovered as the temperature grows.
 *
 * <p>Similarities are computed tile by tile (a block of queries against a block of training rows, the training
 * features stored transposed) so that the inner loop is a contiguous multiply-add the JIT vectorises; query blocks
 * can be spread over a small thread pool, and the result does not depend on the thread count.
 */
public final class KnnClassifier {
    public static final int DEFAULT_K = 20;
    public static final double DEFAULT_TEMPERATURE = 0.07;

    private static final int QUERY_BLOCK = 8;
    private static final int TRAIN_TILE = 512;

    private final int k;
    private final double temperature;
    private final int threads;

    /** k = 20, temperature 0.07, one thread. */
    public KnnClassifier() {
        this(DEFAULT_K, DEFAULT_TEMPERATURE, 1);
    }

    public KnnClassifier(int k, double temperature, int threads) {
        if (k < 1) throw new IllegalArgumentException("knn k must be >= 1, got " + k);
        if (!(temperature > 0)) throw new IllegalArgumentException("knn temperature must be positive, got " + temperature);
        if (threads < 1) throw new IllegalArgumentException("knn threads must be >= 1, got " + threads);
        this.k = k;
        this.temperature = temperature;
        this.threads = threads;
    }

    public int k() { return k; }
    public double temperature() { return temperature; }

    /** Top-1/top-5 of the kNN vote on {@code test}, using {@code train} as the memory bank (both raw; normalised here). */
    public TopKAccuracy evaluate(FeatureMatrix train, FeatureMatrix test) {
        if (train.dim() != test.dim()) {
            throw new IllegalArgumentException("knn: train features have dim " + train.dim() + " but test features have dim " + test.dim());
        }
        int nc = Math.max(train.numClasses(), test.numClasses());
        int kk = Math.min(k, train.rows());
        FeatureMatrix tr = train.l2Normalized();
        FeatureMatrix te = test.l2Normalized();
        float[] bankT = transpose(tr.values(), tr.rows(), tr.dim());
        int blocks = (te.rows() + QUERY_BLOCK - 1) / QUERY_BLOCK;
        int[] ranks = new int[te.rows()];
        if (threads == 1) {
            Workspace ws = new Workspace(kk, nc);
            for (int bi = 0; bi < blocks; bi++) {
                scoreBlock(bi, te, tr, bankT, nc, kk, ws, ranks);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "knn-probe");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    final int tid = t;
                    futures.add(pool.submit(() -> {
                        Workspace ws = new Workspace(kk, nc);
                        for (int bi = tid; bi < blocks; bi += threads) {
                            scoreBlock(bi, te, tr, bankT, nc, kk, ws, ranks);
                        }
                    }));
                }
                for (Future<?> f : futures) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("knn probe interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("knn probe failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        int k5 = Math.min(5, nc);
        int c1 = 0, c5 = 0;
        for (int rank : ranks) {
            if (rank == 0) c1++;
            if (rank < k5) c5++;
        }
        return TopKAccuracy.of(c1, c5, te.rows());
    }

    /** Indices (into train) of the k nearest neighbours of test row {@code q}, most similar first (for tests/diagnostics). */
    public int[] neighbours(FeatureMatrix train, FeatureMatrix test, int q) {
        FeatureMatrix tr = train.l2Normalized();
        FeatureMatrix te = test.l2Normalized();
        int kk = Math.min(k, tr.rows());
        Workspace ws = new Workspace(kk, Math.max(train.numClasses(), test.numClasses()));
        float[] bankT = transpose(tr.values(), tr.rows(), tr.dim());
        int bi = q / QUERY_BLOCK;
        nearest(bi, te, tr, bankT, kk, ws);
        return java.util.Arrays.copyOf(ws.topIdx[q - bi * QUERY_BLOCK], kk);
    }

    /** Per-thread scratch memory. */
    private static final class Workspace {
        final float[] sims = new float[QUERY_BLOCK * TRAIN_TILE];
        final float[][] topSim;
        final int[][] topIdx;
        final double[] scores;

        Workspace(int k, int nc) {
            topSim = new float[QUERY_BLOCK][k];
            topIdx = new int[QUERY_BLOCK][k];
            scores = new double[nc];
        }
    }

    private void scoreBlock(int bi, FeatureMatrix te, FeatureMatrix tr, float[] bankT, int nc, int kk, Workspace ws, int[] ranks) {
        int q0 = bi * QUERY_BLOCK;
        int qn = Math.min(QUERY_BLOCK, te.rows() - q0);
        nearest(bi, te, tr, bankT, kk, ws);
        for (int q = 0; q < qn; q++) {
            java.util.Arrays.fill(ws.scores, 0.0);
            for (int j = 0; j < kk; j++) {
                ws.scores[tr.label(ws.topIdx[q][j])] += Math.exp(ws.topSim[q][j] / temperature);
            }
            ranks[q0 + q] = TopKAccuracy.rankOf(ws.scores, te.label(q0 + q));
        }
    }

    /** Fills ws.topSim/topIdx (sorted, most similar first) for the queries of block {@code bi}. */
    private static void nearest(int bi, FeatureMatrix te, FeatureMatrix tr, float[] bankT, int kk, Workspace ws) {
        int d = te.dim();
        int n = tr.rows();
        int q0 = bi * QUERY_BLOCK;
        int qn = Math.min(QUERY_BLOCK, te.rows() - q0);
        float[] xq = te.values();
        float[] sims = ws.sims;
        for (int q = 0; q < qn; q++) {
            java.util.Arrays.fill(ws.topSim[q], Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(ws.topIdx[q], Integer.MAX_VALUE);
        }
        for (int t0 = 0; t0 < n; t0 += TRAIN_TILE) {
            int tn = Math.min(TRAIN_TILE, n - t0);
            java.util.Arrays.fill(sims, 0f);
            // four feature dimensions per pass: one load/store of the similarity row per four multiply-adds
            int kd = 0;
            for (; kd + 3 < d; kd += 4) {
                int b0 = kd * n + t0, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
                for (int q = 0; q < qn; q++) {
                    int xo = (q0 + q) * d + kd;
                    float a0 = xq[xo], a1 = xq[xo + 1], a2 = xq[xo + 2], a3 = xq[xo + 3];
                    if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) continue; // raw pixels: mostly background
                    int so = q * TRAIN_TILE;
                    for (int t = 0; t < tn; t++) {
                        sims[so + t] += a0 * bankT[b0 + t] + a1 * bankT[b1 + t] + a2 * bankT[b2 + t] + a3 * bankT[b3 + t];
                    }
                }
            }
            for (; kd < d; kd++) {
                int b0 = kd * n + t0;
                for (int q = 0; q < qn; q++) {
                    float a = xq[(q0 + q) * d + kd];
                    if (a == 0f) continue;
                    int so = q * TRAIN_TILE;
                    for (int t = 0; t < tn; t++) {
                        sims[so + t] += a * bankT[b0 + t];
                    }
                }
            }
            for (int q = 0; q < qn; q++) {
                float[] ts = ws.topSim[q];
                int[] ti = ws.topIdx[q];
                TopSimilar.offer(sims, q * TRAIN_TILE, tn, t0, ts, ti);
            }
        }
    }

    private static float[] transpose(float[] x, int rows, int dim) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < dim; c++) {
                t[c * rows + r] = x[r * dim + c];
            }
        }
        return t;
    }
}
