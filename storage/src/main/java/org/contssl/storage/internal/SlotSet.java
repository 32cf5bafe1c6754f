package org.contssl.storage.internal;

import java.util.Arrays;

/**
 * A set of slots listed in the order they joined, emptied in time proportional to its size: the slots whose durable
 * copy must be rewritten at the next commit.
 */
final class SlotSet {
    private boolean[] member;
    private int[] list;
    private int count;

    SlotSet(int slots) {
        member = new boolean[slots];
        list = new int[slots];
    }

    void add(int s) {
        if (!member[s]) {
            member[s] = true;
            list[count++] = s;
        }
    }

    int size() {
        return count;
    }

    /** The i-th slot added. */
    int get(int i) {
        return list[i];
    }

    void clear() {
        for (int i = 0; i < count; i++) {
            member[list[i]] = false;
        }
        count = 0;
    }

    /** Empty, for {@code slots} slots. */
    void reset(int slots) {
        member = new boolean[slots];
        list = new int[slots];
        count = 0;
    }

    void grow(int slots) {
        member = Arrays.copyOf(member, slots);
        list = Arrays.copyOf(list, slots);
    }
}
