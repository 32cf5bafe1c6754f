package org.contssl.model.probe;

/**
 * A trained linear head: {@code logits = W x + b} with W stored as {@code numClasses x dim} row-major.
 * It expects inputs that were L2-normalised the same way as the training features.
 */
public final class LinearClassifier {
    final float[] weight;
    final float[] bias;
    final int numClasses;
    final int dim;

    LinearClassifier(float[] weight, float[] bias, int numClasses, int dim) {
        this.weight = weight;
        this.bias = bias;
        this.numClasses = numClasses;
        this.dim = dim;
    }

    public int numClasses() { return numClasses; }
    public int dim() { return dim; }
    /** A copy of W, row-major {@code numClasses x dim}. */
    public float[] weightCopy() { return weight.clone(); }
    public float[] biasCopy() { return bias.clone(); }

    /** Writes the logits of row {@code row} of {@code x} into {@code out}. */
    void logits(float[] x, int row, double[] out) {
        int off = row * dim;
        for (int c = 0; c < numClasses; c++) {
            int w0 = c * dim;
            // four partial sums: shorter dependency chains for the JIT, and double accumulation for stable sums
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int k = 0;
            for (; k + 3 < dim; k += 4) {
                s0 += weight[w0 + k] * x[off + k];
                s1 += weight[w0 + k + 1] * x[off + k + 1];
                s2 += weight[w0 + k + 2] * x[off + k + 2];
                s3 += weight[w0 + k + 3] * x[off + k + 3];
            }
            for (; k < dim; k++) {
                s0 += weight[w0 + k] * x[off + k];
            }
            out[c] = bias[c] + s0 + s1 + s2 + s3;
        }
    }

    /**
     * Top-1/top-5 accuracy on {@code test}, whose rows must already be L2-normalised (use
     * {@link LinearProbe#evaluate(LinearClassifier, FeatureMatrix)} to normalise raw features).
     */
    public TopKAccuracy accuracyOnNormalized(FeatureMatrix test) {
        if (test.dim() != dim) {
            throw new IllegalArgumentException("linear probe: test features have dim " + test.dim() + " but the probe was trained on dim " + dim);
        }
        if (test.numClasses() > numClasses) {
            throw new IllegalArgumentException("linear probe: test set has " + test.numClasses() + " classes but the probe head has " + numClasses);
        }
        int k5 = Math.min(5, numClasses);
        double[] scores = new double[numClasses];
        int c1 = 0, c5 = 0;
        float[] x = test.values();
        for (int r = 0; r < test.rows(); r++) {
            logits(x, r, scores);
            int rank = TopKAccuracy.rankOf(scores, test.label(r));
            if (rank == 0) c1++;
            if (rank < k5) c5++;
        }
        return TopKAccuracy.of(c1, c5, test.rows());
    }
}
