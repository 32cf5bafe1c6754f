package org.contssl.lists.stream;

import org.contssl.lists.imports.Raster8;

/**
 * Accumulates mean absolute pixel differences exactly (integer sums), so the diagnostic is identical whatever the
 * thread count or the order in which partial sums are merged.
 */
final class PixelDiffs {

    long absSum;
    long samples;
    long pairs;
    long skipped;

    void add(Raster8 a, Raster8 b) {
        if (!a.sameShape(b)) {
            skipped++;
            return;
        }
        byte[] x = a.data();
        byte[] y = b.data();
        long s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
        }
        absSum += s;
        samples += x.length;
        pairs++;
    }

    void merge(PixelDiffs o) {
        absSum += o.absSum;
        samples += o.samples;
        pairs += o.pairs;
        skipped += o.skipped;
    }

    Double mean() {
        return samples == 0 ? null : (double) absSum / samples;
    }

    Long pairsOrNull() {
        return pairs == 0 ? null : pairs;
    }
}
