package org.contssl.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference's MinRed (docs/reference-system.md, "MinRed's eviction rule") written the straightforward way, as the
 * yardstick for the incremental implementation: one shard, a list of entries in buffer order, and at each eviction the
 * full pairwise similarity matrix of the trained entries with the greedy "evict the one whose nearest remaining
 * neighbour is most similar" loop. Cosines use the
 * canonical arithmetic (16 fused lane accumulators over zero-padded rows, fixed reduction tree), re-implemented here.
 */
final class FullMatrixMinRed {
    static final class Entry {
        final long idx;
        final long birth;
        boolean seen;
        int numSeen;
        float loss;
        float sim;
        float nnSim = Float.NaN;
        final float[] f;

        Entry(long idx, long birth, int padded) {
            this.idx = idx;
            this.birth = birth;
            this.f = new float[padded];
        }
    }

    final int cap;
    final int dim;
    final int padded;
    final List<Entry> entries = new ArrayList<>();
    long chunks;
    long[] lastEvicted = new long[0];

    FullMatrixMinRed(int cap, int dim) {
        this.cap = cap;
        this.dim = dim;
        this.padded = (dim + 15) / 16 * 16;
    }

    static float dot(float[] a, float[] b) {
        float[] acc = new float[16];
        for (int i = 0; i < a.length; i += 16) {
            for (int l = 0; l < 16; l++) {
                acc[l] = Math.fma(a[i + l], b[i + l], acc[l]);
            }
        }
        float[] s = new float[8];
        for (int l = 0; l < 8; l++) {
            s[l] = acc[l] + acc[l + 8];
        }
        return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
    }

    void insert(long[] ids) {
        chunks++;
        for (long id : ids) {
            entries.add(new Entry(id, chunks, padded));
        }
        int n = entries.size() - cap;
        lastEvicted = new long[0];
        if (n <= 0) {
            return;
        }
        List<Entry> cands = new ArrayList<>();
        for (Entry e : entries) {
            if (e.seen) {
                cands.add(e);
            }
        }
        List<Entry> gone = new ArrayList<>();
        if (cands.size() < 2 * n) {
            List<Entry> byAge = new ArrayList<>(entries);
            byAge.sort((a, b) -> Long.compare(a.birth, b.birth)); // stable: ties keep buffer order
            gone.addAll(byAge.subList(0, n));
        } else {
            int m = cands.size();
            float[][] a = new float[m][m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    a[i][j] = i == j ? Float.NEGATIVE_INFINITY : dot(cands.get(i).f, cands.get(j).f);
                }
            }
            boolean[] removed = new boolean[m];
            for (int e = 0; e < n; e++) {
                int best = -1;
                float bestVal = 0;
                for (int i = 0; i < m; i++) {
                    if (removed[i]) {
                        continue;
                    }
                    float nn = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        if (!removed[j] && a[i][j] > nn) {
                            nn = a[i][j];
                        }
                    }
                    if (best < 0 || nn > bestVal) {
                        best = i;
                        bestVal = nn;
                    }
                }
                removed[best] = true;
                gone.add(cands.get(best));
            }
        }
        lastEvicted = gone.stream().mapToLong(e -> e.idx).toArray();
        entries.removeAll(gone);
        // tracking: nearest-neighbour similarity of every trained survivor
        List<Entry> seen = new ArrayList<>();
        for (Entry e : entries) {
            if (e.seen) {
                seen.add(e);
            }
        }
        for (Entry e : seen) {
            float nn = Float.NEGATIVE_INFINITY;
            for (Entry o : seen) {
                if (o != e) {
                    nn = Math.max(nn, dot(e.f, o.f));
                }
            }
            e.nnSim = nn == Float.NEGATIVE_INFINITY ? Float.NaN : nn;
        }
    }

    void update(long idx, float l, float s, float[] f) {
        for (Entry e : entries) {
            if (e.idx != idx) {
                continue;
            }
            if (!e.seen) {
                System.arraycopy(f, 0, e.f, 0, dim);
                e.loss = l;
                e.sim = s;
                e.seen = true;
            } else {
                e.loss = 0.5f * e.loss + 0.5f * l;
                e.sim = 0.5f * e.sim + 0.5f * s;
                double ss = 0;
                for (int i = 0; i < dim; i++) {
                    e.f[i] = 0.5f * e.f[i] + 0.5f * f[i];
                    ss += (double) e.f[i] * e.f[i];
                }
                double norm = Math.sqrt(ss);
                if (norm > 0) {
                    for (int i = 0; i < dim; i++) {
                        e.f[i] = (float) (e.f[i] / norm);
                    }
                }
            }
            e.numSeen++;
        }
    }

    long[] order() {
        return entries.stream().mapToLong(e -> e.idx).toArray();
    }

    double meanNeighbourSimilarity() {
        double s = 0;
        int n = 0;
        for (Entry e : entries) {
            if (e.seen && !Float.isNaN(e.nnSim)) {
                s += e.nnSim;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
