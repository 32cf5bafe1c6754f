package org.contssl.storage.internal;

import java.util.Arrays;

/**
 * MinRed's greedy eviction picks, again and again, the candidate with the highest key (nearest-neighbour similarity),
 * ties to the lowest buffer position. This max-tournament over positions answers that in O(1) and updates a key in
 * O(log m). Order: not removed, higher key, lower position.
 */
final class Tournament {
    final float[] key;
    final boolean[] removed;
    private final int[] tree;
    private final int leaves;

    Tournament(int m) {
        key = new float[m];
        removed = new boolean[m];
        int l = 1;
        while (l < Math.max(1, m)) {
            l <<= 1;
        }
        leaves = l;
        tree = new int[2 * l];
        Arrays.fill(tree, -1);
    }

    private int better(int a, int b) {
        if (a < 0) {
            return b;
        }
        if (b < 0) {
            return a;
        }
        if (removed[a] != removed[b]) {
            return removed[a] ? b : a;
        }
        if (key[a] > key[b]) {
            return a;
        }
        if (key[b] > key[a]) {
            return b;
        }
        return Math.min(a, b);
    }

    void build() {
        for (int p = 0; p < key.length; p++) {
            tree[leaves + p] = p;
        }
        for (int i = leaves - 1; i >= 1; i--) {
            tree[i] = better(tree[2 * i], tree[2 * i + 1]);
        }
    }

    int top() {
        return tree[1];
    }

    void update(int p, float k) {
        key[p] = k;
        for (int i = (leaves + p) >> 1; i >= 1; i >>= 1) {
            tree[i] = better(tree[2 * i], tree[2 * i + 1]);
        }
    }

    void remove(int p) {
        removed[p] = true;
        update(p, Float.NEGATIVE_INFINITY);
    }
}
