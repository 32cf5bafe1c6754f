package org.contssl.lists;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-list diagnostics stored in the sidecar and printed by {@code lists show}: how the classes are spread over the
 * four quarters of the stream (shows class-incremental drift at a glance) and, where pixels were at hand, how similar
 * consecutive images are (shows temporal correlation: pseudo-video frames differ far less than i.i.d. neighbours).
 * Pixel differences are mean absolute differences on the 0..255 scale.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamDiagnostics(
        List<Long> quarterStarts,
        List<List<Long>> classHistogramPerQuarter,
        Double meanAbsDiffConsecutive,
        Long consecutivePairs,
        Double meanAbsDiffClipEnds,
        Long clipEndPairs) {

    /** Class histogram per quarter of a labelled stream; quarter q covers {@code [q*n/4, (q+1)*n/4)}. */
    public static StreamDiagnostics ofLabels(int[] labels, int numClasses) {
        return ofLabels(labels, labels.length, numClasses);
    }

    public static StreamDiagnostics ofLabels(int[] labels, int n, int numClasses) {
        List<Long> starts = new ArrayList<>(4);
        List<List<Long>> hist = new ArrayList<>(4);
        for (int q = 0; q < 4; q++) {
            int from = (int) ((long) q * n / 4);
            int to = (int) ((long) (q + 1) * n / 4);
            long[] counts = new long[Math.max(numClasses, 1)];
            for (int i = from; i < to; i++) {
                int l = labels[i];
                if (l >= 0 && l < counts.length) {
                    counts[l]++;
                }
            }
            starts.add((long) from);
            List<Long> row = new ArrayList<>(counts.length);
            for (long c : counts) {
                row.add(c);
            }
            hist.add(row);
        }
        return new StreamDiagnostics(starts, hist, null, null, null, null);
    }

    /**
     * The same class histogram per quarter as {@link #ofLabels}, counted one label at a time: a stream of any length
     * needs no array of its labels (500M int labels would be 2 GB of heap).
     */
    public static final class QuarterCounts {
        private final long n;
        private final long[] starts = new long[5];
        private final long[][] counts = new long[4][];

        /** Counts for a stream of {@code n} positions and {@code numClasses} classes. */
        public QuarterCounts(long n, int numClasses) {
            this.n = n;
            for (int q = 0; q <= 4; q++) {
                starts[q] = n / 4 * q + n % 4 * q / 4; // floor(q*n/4) without overflowing q*n
            }
            for (int q = 0; q < 4; q++) {
                counts[q] = new long[Math.max(numClasses, 1)];
            }
        }

        /** Counts {@code label} at stream position {@code pos}; labels outside the classes are left out. */
        public void add(long pos, int label) {
            if (pos < 0 || pos >= n) {
                throw new IndexOutOfBoundsException("position " + pos + " outside [0, " + n + ")");
            }
            int q = 3;
            while (pos < starts[q]) {
                q--;
            }
            long[] c = counts[q];
            if (label >= 0 && label < c.length) {
                c[label]++;
            }
        }

        public StreamDiagnostics result() {
            List<Long> qs = new ArrayList<>(4);
            List<List<Long>> hist = new ArrayList<>(4);
            for (int q = 0; q < 4; q++) {
                qs.add(starts[q]);
                List<Long> row = new ArrayList<>(counts[q].length);
                for (long c : counts[q]) {
                    row.add(c);
                }
                hist.add(row);
            }
            return new StreamDiagnostics(qs, hist, null, null, null, null);
        }
    }

    public StreamDiagnostics withPixelDiffs(Double consecutive, Long consecutivePairs, Double clipEnds,
                                            Long clipEndPairs) {
        return new StreamDiagnostics(quarterStarts, classHistogramPerQuarter, consecutive, consecutivePairs, clipEnds,
                clipEndPairs);
    }
}
