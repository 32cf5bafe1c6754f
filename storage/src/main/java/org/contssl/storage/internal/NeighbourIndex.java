package org.contssl.storage.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental nearest-neighbour bookkeeping for MinRed eviction. Each trained entry c keeps a short list L(c) of its
 * most similar trained entries with their exact current cosines, and a bound B(c) that no trained entry outside the
 * list exceeds. Its nearest-neighbour similarity is then max(L(c)) whenever max(L(c)) >= B(c); otherwise max(L(c), B)
 * is only an upper bound and the row is recomputed when it matters ("lazy greedy").
 *
 * <ul>
 *   <li>A statistics update marks the entry dirty; {@link #sync} compares the dirty entries with every trained entry
 *   once (a blocked Gram product, U x m), rebuilding their own lists and offering them to everyone else's.</li>
 *   <li>An eviction removes the entry from the lists holding it: O(m) plus the rare row recomputation O(m d) when a
 *   list runs dry.</li>
 * </ul>
 * Eviction decisions depend only on exact similarity values, so they equal the full-matrix method's.
 */
final class NeighbourIndex {
    static final int K = 4;
    private static final int ROW_BLOCK = 64;

    /** Candidate counts from which the Gram work is split over threads (tests lower it to cover that path). */
    static volatile int parallelMin = 4096;

    private final EntryTable entries;
    int[] nb;
    float[] nv;
    byte[] cnt;
    float[] bound;
    boolean[] dirty;

    NeighbourIndex(EntryTable entries, int slotCap) {
        this.entries = entries;
        nb = new int[slotCap * K];
        nv = new float[slotCap * K];
        cnt = new byte[slotCap];
        bound = new float[slotCap];
        dirty = new boolean[slotCap];
        Arrays.fill(bound, Float.NEGATIVE_INFINITY);
    }

    void grow(int slotCap) {
        int old = cnt.length;
        nb = Arrays.copyOf(nb, slotCap * K);
        nv = Arrays.copyOf(nv, slotCap * K);
        cnt = Arrays.copyOf(cnt, slotCap);
        bound = Arrays.copyOf(bound, slotCap);
        Arrays.fill(bound, old, slotCap, Float.NEGATIVE_INFINITY);
        dirty = Arrays.copyOf(dirty, slotCap);
    }

    /** A freshly allocated slot: no list, not dirty. */
    void reset(int s) {
        cnt[s] = 0;
        bound[s] = Float.NEGATIVE_INFINITY;
        dirty[s] = false;
    }

    void markDirty(int s) {
        dirty[s] = true;
    }

    float key(int c) {
        float b = bound[c];
        if (cnt[c] == 0) {
            return b;
        }
        float v = nv[c * K];
        return v >= b ? v : b;
    }

    boolean exact(int c) {
        return cnt[c] == 0 ? bound[c] == Float.NEGATIVE_INFINITY : nv[c * K] >= bound[c];
    }

    /** Inserts (slot, v) into c's list keeping the invariant "everything outside the list is <= bound". */
    private void offerList(int c, int slot, float v) {
        if (v <= bound[c]) {
            return; // already covered by the bound
        }
        int base = c * K;
        int n = cnt[c];
        if (n == K) {
            float lv = nv[base + K - 1];
            if (!TopList.before(v, slot, lv, nb[base + K - 1])) {
                if (v > bound[c]) {
                    bound[c] = v;
                }
                return;
            }
            if (lv > bound[c]) {
                bound[c] = lv;
            }
            n--;
        }
        int i = n;
        while (i > 0 && TopList.before(v, slot, nv[base + i - 1], nb[base + i - 1])) {
            nv[base + i] = nv[base + i - 1];
            nb[base + i] = nb[base + i - 1];
            i--;
        }
        nv[base + i] = v;
        nb[base + i] = slot;
        cnt[c] = (byte) (n + 1);
    }

    /** Removes r from c's list; returns whether it was there. */
    private boolean removeFromList(int c, int r) {
        int base = c * K;
        int n = cnt[c];
        for (int i = 0; i < n; i++) {
            if (nb[base + i] == r) {
                for (int j = i; j < n - 1; j++) {
                    nb[base + j] = nb[base + j + 1];
                    nv[base + j] = nv[base + j + 1];
                }
                cnt[c] = (byte) (n - 1);
                return true;
            }
        }
        return false;
    }

    private void setList(int c, TopList t) {
        int base = c * K;
        for (int i = 0; i < t.count; i++) {
            nb[base + i] = t.slots[i];
            nv[base + i] = t.vals[i];
        }
        cnt[c] = (byte) t.count;
        bound[c] = t.rest;
    }

    /** Drops a departing trained entry from every list among {@code cands} (it may be dirty: stale values go too). */
    void forget(int r, int[] cands, int n) {
        for (int i = 0; i < n; i++) {
            int c = cands[i];
            if (c != r) {
                removeFromList(c, r);
            }
        }
        reset(r);
    }

    /**
     * Brings every list up to date with the dirty entries (new or changed features) among the trained entries
     * {@code cands[0, n)}.
     */
    void sync(int[] cands, int n) {
        int nu = 0;
        int[] u = new int[n];
        for (int i = 0; i < n; i++) {
            if (dirty[cands[i]]) {
                u[nu++] = cands[i];
            }
        }
        if (nu == 0) {
            return;
        }
        if (2L * nu >= n) {
            // most rows changed (first eviction after a load, or a small buffer): one symmetric pass is cheaper
            rebuild(cands, n);
            return;
        }
        final int nU = nu;
        for (int i = 0; i < n; i++) {
            int c = cands[i];
            if (!dirty[c]) {
                int base = c * K;
                for (int j = cnt[c] - 1; j >= 0; j--) {
                    if (dirty[nb[base + j]]) {
                        removeFromList(c, nb[base + j]);
                    }
                }
            }
        }
        int parts = n >= parallelMin ? Math.max(2, SimilarityWorkers.THREADS) : 1;
        TopList[][] partial = new TopList[parts][];
        List<Runnable> jobs = new ArrayList<>();
        for (int t = 0; t < parts; t++) {
            final int c0 = (int) ((long) n * t / parts), c1 = (int) ((long) n * (t + 1) / parts);
            final TopList[] rowsTop = new TopList[nU];
            for (int i = 0; i < nU; i++) {
                rowsTop[i] = new TopList(K);
            }
            partial[t] = rowsTop;
            jobs.add(() -> syncColumns(u, nU, cands, c0, c1, rowsTop));
        }
        SimilarityWorkers.run(jobs);
        for (int i = 0; i < nU; i++) {
            TopList merged = partial[0][i];
            for (int t = 1; t < parts; t++) {
                merged.merge(partial[t][i]);
            }
            setList(u[i], merged);
        }
        for (int i = 0; i < nU; i++) {
            dirty[u[i]] = false;
        }
    }

    private void syncColumns(int[] u, int nU, int[] cands, int c0, int c1, TopList[] rowsTop) {
        int w = c1 - c0;
        if (w <= 0) {
            return;
        }
        float[] out = new float[Math.min(ROW_BLOCK, nU) * w];
        // per column: the value an offer must beat to enter its list (+inf for dirty columns, whose lists are rebuilt
        // from their own rows); kept dense so the scan below reads memory sequentially
        float[] colBound = new float[w];
        int[] colSlot = new int[w];
        for (int j = 0; j < w; j++) {
            int cs = cands[c0 + j];
            colSlot[j] = cs;
            colBound[j] = dirty[cs] ? Float.POSITIVE_INFINITY : bound[cs];
        }
        float[] f = entries.feat;
        int p = entries.stride;
        for (int r0 = 0; r0 < nU; r0 += ROW_BLOCK) {
            int r1 = Math.min(nU, r0 + ROW_BLOCK);
            Dots.gram(f, p, u, r0, r1, cands, c0, c1, out);
            for (int i = r0; i < r1; i++) {
                int us = u[i];
                TopList top = rowsTop[i];
                int o = (i - r0) * w;
                float thr = top.threshold();
                float rest = top.rest;
                for (int j = 0; j < w; j++) {
                    float v = out[o + j];
                    int cs = colSlot[j];
                    if (cs == us) {
                        continue;
                    }
                    if (v < thr) {
                        rest = Math.max(rest, v); // cannot enter this row's list
                    } else {
                        top.rest = rest;
                        top.offer(cs, v);
                        rest = top.rest;
                        thr = top.threshold();
                    }
                    if (v > colBound[j]) {
                        offerList(cs, us, v);
                        colBound[j] = bound[cs];
                    }
                }
                top.rest = rest;
            }
        }
    }

    /**
     * Recomputes every list from scratch, computing each pair once (upper triangle, row blocks dealt round-robin to
     * the threads); each thread collects partial lists that are merged in a fixed order.
     */
    void rebuild(int[] cands, int n) {
        int parts = n >= parallelMin ? Math.max(2, SimilarityWorkers.THREADS) : 1;
        TopList[][] partial = new TopList[parts][n];
        List<Runnable> jobs = new ArrayList<>();
        int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
        for (int t = 0; t < parts; t++) {
            final int part = t;
            final TopList[] tops = partial[t];
            for (int i = 0; i < n; i++) {
                tops[i] = new TopList(K);
            }
            jobs.add(() -> {
                float[] out = new float[ROW_BLOCK * n];
                for (int b = part; b < blocks; b += parts) {
                    int r0 = b * ROW_BLOCK, r1 = Math.min(n, r0 + ROW_BLOCK);
                    int w = n - r0;
                    Dots.gram(entries.feat, entries.stride, cands, r0, r1, cands, r0, n, out);
                    for (int i = r0; i < r1; i++) {
                        int o = (i - r0) * w - r0;
                        TopList ti = tops[i];
                        int si = cands[i];
                        float thr = ti.threshold();
                        for (int j = i + 1; j < n; j++) {
                            float v = out[o + j];
                            if (v < thr) {
                                if (v > ti.rest) {
                                    ti.rest = v;
                                }
                            } else {
                                ti.offer(cands[j], v);
                                thr = ti.threshold();
                            }
                            TopList tj = tops[j];
                            if (v < tj.threshold()) {
                                if (v > tj.rest) {
                                    tj.rest = v;
                                }
                            } else {
                                tj.offer(si, v);
                            }
                        }
                    }
                }
            });
        }
        SimilarityWorkers.run(jobs);
        for (int i = 0; i < n; i++) {
            TopList merged = partial[0][i];
            for (int t = 1; t < parts; t++) {
                merged.merge(partial[t][i]);
            }
            setList(cands[i], merged);
            dirty[cands[i]] = false;
        }
    }

    /** Recomputes the lists of {@code rows} against the trained entries {@code cols[0, nCols)}. */
    void refresh(int[] rows, int nRows, int[] cols, int nCols) {
        if (nRows == 0) {
            return;
        }
        int parts = (long) nRows * nCols >= 16L * parallelMin ? Math.max(2, SimilarityWorkers.THREADS) : 1;
        parts = Math.min(parts, nRows);
        List<Runnable> jobs = new ArrayList<>();
        for (int t = 0; t < parts; t++) {
            final int r0 = (int) ((long) nRows * t / parts), r1 = (int) ((long) nRows * (t + 1) / parts);
            jobs.add(() -> {
                float[] out = new float[Math.min(ROW_BLOCK, r1 - r0) * nCols];
                TopList top = new TopList(K);
                for (int b0 = r0; b0 < r1; b0 += ROW_BLOCK) {
                    int b1 = Math.min(r1, b0 + ROW_BLOCK);
                    Dots.gram(entries.feat, entries.stride, rows, b0, b1, cols, 0, nCols, out);
                    for (int i = b0; i < b1; i++) {
                        top.clear();
                        int o = (i - b0) * nCols;
                        int self = rows[i];
                        for (int j = 0; j < nCols; j++) {
                            if (cols[j] != self) {
                                top.offer(cols[j], out[o + j]);
                            }
                        }
                        setList(self, top);
                    }
                }
            });
        }
        SimilarityWorkers.run(jobs);
    }

    /**
     * Greedy MinRed eviction of {@code n} entries among the synced trained entries {@code cands[0, m)} (buffer
     * order): repeatedly the one whose nearest remaining neighbour is most similar, ties to the earliest. Returns the
     * evicted slots in eviction order; their lists are dropped from everyone's.
     */
    int[] evictGreedy(int[] cands, int m, int n) {
        Tournament tree = new Tournament(m);
        for (int p = 0; p < m; p++) {
            tree.key[p] = key(cands[p]);
        }
        tree.build();
        int[] evicted = new int[n];
        int[] remaining = new int[m];
        boolean remainingValid = false;
        int nRemaining = 0;
        int[] one = new int[1];
        for (int e = 0; e < n; e++) {
            int p;
            while (true) {
                p = tree.top();
                int c = cands[p];
                if (exact(c)) {
                    break;
                }
                if (!remainingValid) {
                    nRemaining = 0;
                    for (int q = 0; q < m; q++) {
                        if (!tree.removed[q]) {
                            remaining[nRemaining++] = cands[q];
                        }
                    }
                    remainingValid = true;
                }
                one[0] = c;
                refresh(one, 1, remaining, nRemaining);
                tree.update(p, key(c));
            }
            int r = cands[p];
            evicted[e] = r;
            tree.remove(p);
            remainingValid = false;
            for (int q = 0; q < m; q++) {
                if (!tree.removed[q] && removeFromList(cands[q], r)) {
                    tree.update(q, key(cands[q]));
                }
            }
            reset(r);
        }
        return evicted;
    }

    /** After evictions: recompute every inexact list so each trained entry's key is its exact nn similarity. */
    void settle(int[] cands, int m) {
        int[] rows = new int[m];
        int nr = 0;
        for (int i = 0; i < m; i++) {
            if (!exact(cands[i])) {
                rows[nr++] = cands[i];
            }
        }
        refresh(rows, nr, cands, m);
    }
}
