package org.contssl.storage;

import java.util.Map;

/**
 * A picture of the buffer for progress lines and reports.
 *
 * @param size              entries held (all shards)
 * @param capacity          total capacity
 * @param seenCount         entries trained on at least once
 * @param meanNumSeen       mean times trained, over all entries
 * @param maxNumSeen        largest times trained
 * @param meanLoss          mean running loss over trained entries (NaN if none)
 * @param meanViewSimilarity mean running cos(z1, z2) over trained entries (NaN if none)
 * @param meanNeighbourSimilarity mean cosine to the nearest trained neighbour, as of the last MinRed eviction (the
 *                          reference tracks it there); NaN for other policies or before the first eviction
 * @param ageBinUpperBounds upper bounds (exclusive, in incoming chunks) of the age histogram bins: 1, 2, 4, 8, ...
 * @param ageHistogram      entries per age bin (age = incoming chunks since insertion, 1 for the newest)
 * @param labelCounts       entries per label (-1 = unknown), ascending label order
 */
public record BufferDiagnostics(int size, int capacity, int seenCount, double meanNumSeen, int maxNumSeen,
                                double meanLoss, double meanViewSimilarity, double meanNeighbourSimilarity,
                                long[] ageBinUpperBounds, long[] ageHistogram, Map<Integer, Integer> labelCounts) {

    /** Number of distinct known labels held. */
    public int distinctLabels() {
        return (int) labelCounts.keySet().stream().filter(l -> l >= 0).count();
    }
}
