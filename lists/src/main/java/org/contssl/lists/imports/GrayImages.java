package org.contssl.lists.imports;

import java.util.Arrays;

/** A labelled set of same-size 8-bit grey images held in one array (Fashion-MNIST, MNIST: 28x28, a few MB). */
public record GrayImages(int count, int rows, int cols, byte[] pixels, int[] labels) {

    public GrayImages {
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException("pixels: " + pixels.length + " bytes for " + count + "x" + rows + "x" + cols);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("labels: " + labels.length + " for " + count + " images");
        }
    }

    public int imageBytes() {
        return rows * cols;
    }

    /** A copy of image {@code i}. */
    public Raster8 image(int i) {
        int n = rows * cols;
        return new Raster8(cols, rows, 1, Arrays.copyOfRange(pixels, i * n, i * n + n));
    }
}
