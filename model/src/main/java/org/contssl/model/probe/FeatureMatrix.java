package org.contssl.model.probe;

import java.util.Arrays;

/**
 * A labelled feature matrix: {@code rows} samples of {@code dim} floats, stored row-major in one flat array so that
 * 10k x 784 raw-pixel or 10k x 512 pooled features stay cache-friendly and cheap to cache on disk.
 * Labels are class indices in {@code [0, numClasses)}.
 */
public final class FeatureMatrix {
    private final float[] values;
    private final int rows;
    private final int dim;
    private final int[] labels;
    private final int numClasses;

    /**
     * @param values     row-major, length {@code rows * dim}; not copied (callers hand over ownership)
     * @param labels     one class index per row; not copied
     * @param numClasses number of classes of the probe head (labels must lie in {@code [0, numClasses)})
     */
    public FeatureMatrix(float[] values, int rows, int dim, int[] labels, int numClasses) {
        if (rows <= 0 || dim <= 0) {
            throw new IllegalArgumentException("feature matrix: rows and dim must be positive, got rows=" + rows + " dim=" + dim);
        }
        if (values.length != (long) rows * dim) {
            throw new IllegalArgumentException("feature matrix: values has " + values.length + " floats but rows*dim = " + ((long) rows * dim));
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException("feature matrix: " + labels.length + " labels for " + rows + " rows; give one label per row");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("feature matrix: numClasses must be at least 2, got " + numClasses);
        }
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("feature matrix: label " + labels[i] + " of row " + i + " is outside [0, " + numClasses + "); check the dataset's class count");
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("feature matrix: non-finite value " + values[i] + " in row " + (i / dim) + "; the encoder produced NaN/Inf features");
            }
        }
        this.values = values;
        this.rows = rows;
        this.dim = dim;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /** Convenience factory from a jagged array (copies). */
    public static FeatureMatrix of(float[][] rowsData, int[] labels, int numClasses) {
        if (rowsData.length == 0) {
            throw new IllegalArgumentException("feature matrix: no rows");
        }
        int d = rowsData[0].length;
        float[] flat = new float[Math.multiplyExact(rowsData.length, d)]; // a heap matrix is capped at 2^31 floats; MappedFeatureFile goes beyond
        for (int i = 0; i < rowsData.length; i++) {
            if (rowsData[i].length != d) {
                throw new IllegalArgumentException("feature matrix: row " + i + " has " + rowsData[i].length + " values, expected " + d);
            }
            System.arraycopy(rowsData[i], 0, flat, i * d, d);
        }
        return new FeatureMatrix(flat, rowsData.length, d, labels.clone(), numClasses);
    }

    public float[] values() { return values; }
    public int rows() { return rows; }
    public int dim() { return dim; }
    public int[] labels() { return labels; }
    public int numClasses() { return numClasses; }
    public int label(int row) { return labels[row]; }

    /**
     * A copy whose rows have unit L2 norm, like {@code torch.nn.functional.normalize(x, dim=1)}: the norm is clamped
     * at 1e-12 so an all-zero row stays zero instead of becoming NaN.
     */
    public FeatureMatrix l2Normalized() {
        float[] out = Arrays.copyOf(values, values.length);
        for (int r = 0; r < rows; r++) {
            int off = r * dim;
            double ss = 0;
            for (int k = 0; k < dim; k++) {
                double v = out[off + k];
                ss += v * v;
            }
            double inv = 1.0 / Math.max(Math.sqrt(ss), 1e-12);
            for (int k = 0; k < dim; k++) {
                out[off + k] = (float) (out[off + k] * inv);
            }
        }
        return new FeatureMatrix(out, rows, dim, labels, numClasses);
    }
}
