package org.contssl.tools.bench.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.contssl.storage.internal.Dots;

/**
 * The reference's MinRed eviction cost model, for the benchmark: every incoming chunk recomputes the full pairwise
 * similarity matrix of the trained entries (m^2 d) and then evicts greedily. The m x m matrix itself (16 GiB at
 * m = 65,536) does not fit here, so each row keeps only its n + 1 largest entries: after at most n evictions the
 * largest remaining entry of a row is always among them, so the greedy choices are exactly the full matrix's. Uses
 * the canonical dot arithmetic, so its choices can be compared with the incremental implementation's.
 */
final class FullMatrixBaseline {
    private FullMatrixBaseline() {}

    /** Evicts n of the candidates (features row-major, {@code dim} per row, buffer order); returns their indices. */
    static int[] evict(float[][] features, int dim, int n, int threads) throws Exception {
        int m = features.length;
        int p = Dots.stride(dim);
        float[] f = new float[m * p];
        for (int i = 0; i < m; i++) {
            System.arraycopy(features[i], 0, f, i * p, dim);
        }
        int t = n + 1;
        int[] cols = new int[m * t];
        float[] vals = new float[m * t];
        int[] counts = new int[m];
        int[] all = new int[m];
        for (int i = 0; i < m; i++) {
            all[i] = i;
        }
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                final int r0 = (int) ((long) m * k / threads), r1 = (int) ((long) m * (k + 1) / threads);
                fs.add(ex.submit(() -> {
                    int block = 32;
                    float[] out = new float[block * m];
                    for (int b0 = r0; b0 < r1; b0 += block) {
                        int b1 = Math.min(r1, b0 + block);
                        Dots.gram(f, p, all, b0, b1, all, 0, m, out);
                        for (int i = b0; i < b1; i++) {
                            int o = (i - b0) * m;
                            for (int j = 0; j < m; j++) {
                                if (j != i) {
                                    heapOffer(cols, vals, counts, i, t, j, out[o + j]);
                                }
                            }
                            sortDescending(cols, vals, i * t, counts[i]);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> fu : fs) {
                fu.get();
            }
        } finally {
            ex.shutdownNow();
        }
        boolean[] removed = new boolean[m];
        int[] ptr = new int[m];
        int[] evicted = new int[n];
        for (int e = 0; e < n; e++) {
            int best = -1;
            float bestVal = 0;
            for (int c = 0; c < m; c++) {
                if (removed[c]) {
                    continue;
                }
                int base = c * t;
                while (ptr[c] < counts[c] && removed[cols[base + ptr[c]]]) {
                    ptr[c]++;
                }
                float v = ptr[c] < counts[c] ? vals[base + ptr[c]] : Float.NEGATIVE_INFINITY;
                if (best < 0 || v > bestVal) {
                    best = c;
                    bestVal = v;
                }
            }
            removed[best] = true;
            evicted[e] = best;
        }
        return evicted;
    }

    /** Min-heap of the row's t largest values (root = smallest kept). */
    private static void heapOffer(int[] cols, float[] vals, int[] counts, int row, int t, int col, float v) {
        int base = row * t;
        int n = counts[row];
        if (n < t) {
            int i = n;
            counts[row] = n + 1;
            while (i > 0) {
                int parent = (i - 1) >> 1;
                if (vals[base + parent] <= v) {
                    break;
                }
                vals[base + i] = vals[base + parent];
                cols[base + i] = cols[base + parent];
                i = parent;
            }
            vals[base + i] = v;
            cols[base + i] = col;
            return;
        }
        if (v <= vals[base]) {
            return;
        }
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= t) {
                break;
            }
            int r = l + 1;
            int c = r < t && vals[base + r] < vals[base + l] ? r : l;
            if (vals[base + c] >= v) {
                break;
            }
            vals[base + i] = vals[base + c];
            cols[base + i] = cols[base + c];
            i = c;
        }
        vals[base + i] = v;
        cols[base + i] = col;
    }

    private static void sortDescending(int[] cols, float[] vals, int base, int n) {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Float.compare(vals[base + b], vals[base + a]));
        float[] v = new float[n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = vals[base + idx[i]];
            c[i] = cols[base + idx[i]];
        }
        System.arraycopy(v, 0, vals, base, n);
        System.arraycopy(c, 0, cols, base, n);
    }
}
