package org.contssl.model.probe;

/**
 * The k most similar training rows of one query, kept sorted while tiles of similarities stream past. Both kNN
 * paths (heap {@link KnnClassifier} and mapped {@link GemmKnn}) use it, so they share one tie rule: tiles arrive in
 * training-index order and '>' is strict, so on equal similarity the lower training index stays ahead, and the two
 * paths give the same neighbours.
 */
final class TopSimilar {

    private TopSimilar() {
    }

    /**
     * Offers {@code tn} similarities {@code sims[off .. off+tn)} of training rows {@code t0 ..} to the sorted top
     * list {@code ts} (similarities, descending) / {@code ti} (training indices), whose length is k.
     */
    static void offer(float[] sims, int off, int tn, int t0, float[] ts, int[] ti) {
        int last = ts.length - 1;
        for (int t = 0; t < tn; t++) {
            float s = sims[off + t];
            if (s > ts[last]) {
                int pos = last;
                while (pos > 0 && s > ts[pos - 1]) {
                    ts[pos] = ts[pos - 1];
                    ti[pos] = ti[pos - 1];
                    pos--;
                }
                ts[pos] = s;
                ti[pos] = t0 + t;
            }
        }
    }
}
