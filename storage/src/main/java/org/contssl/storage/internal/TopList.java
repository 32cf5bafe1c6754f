package org.contssl.storage.internal;

/**
 * Collects the best {@code k} (value, slot) pairs under the total order "higher value first, then lower slot", plus
 * the best value that did not make it (the bound on everything left out). Used to build a neighbour list from one row
 * of similarities; partial results of several column ranges merge deterministically.
 */
final class TopList {
    final int k;
    final int[] slots;
    final float[] vals;
    int count;
    float rest = Float.NEGATIVE_INFINITY;

    TopList(int k) {
        this.k = k;
        this.slots = new int[k];
        this.vals = new float[k];
    }

    void clear() {
        count = 0;
        rest = Float.NEGATIVE_INFINITY;
    }

    static boolean before(float v, int s, float w, int t) {
        return v > w || (v == w && s < t);
    }

    /** Values strictly below this cannot enter the list (they only raise {@link #rest}). */
    float threshold() {
        return count == k ? vals[k - 1] : Float.NEGATIVE_INFINITY;
    }

    void offer(int slot, float v) {
        if (count == k) {
            float lv = vals[k - 1];
            if (!before(v, slot, lv, slots[k - 1])) {
                if (v > rest) {
                    rest = v;
                }
                return;
            }
            if (lv > rest) {
                rest = lv;
            }
            count--;
        }
        int i = count;
        while (i > 0 && before(v, slot, vals[i - 1], slots[i - 1])) {
            vals[i] = vals[i - 1];
            slots[i] = slots[i - 1];
            i--;
        }
        vals[i] = v;
        slots[i] = slot;
        count++;
    }

    void merge(TopList other) {
        if (other.rest > rest) {
            rest = other.rest;
        }
        for (int i = 0; i < other.count; i++) {
            offer(other.slots[i], other.vals[i]);
        }
    }
}
