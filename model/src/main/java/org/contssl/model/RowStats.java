package org.contssl.model;

/** Per-sample statistics computed on the Java side from the projector outputs (double accumulation, deterministic). */
final class RowStats {
    private RowStats() {}

    /** cos(a_i, b_i) with the reference's eps: a·b / max(‖a‖‖b‖, 1e-8). */
    static float cosine(float[] a, float[] b, int off, int d) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = off; j < off + d; j++) {
            dot += (double) a[j] * b[j];
            na += (double) a[j] * a[j];
            nb += (double) b[j] * b[j];
        }
        return (float) (dot / Math.max(Math.sqrt(na * nb), 1e-8));
    }

    /** normalize(a_i + b_i) with F.normalize's eps 1e-12. */
    static float[] normalizedSum(float[] a, float[] b, int off, int d) {
        double[] s = new double[d];
        double n = 0;
        for (int j = 0; j < d; j++) {
            s[j] = (double) a[off + j] + b[off + j];
            n += s[j] * s[j];
        }
        double inv = 1.0 / Math.max(Math.sqrt(n), 1e-12);
        float[] out = new float[d];
        for (int j = 0; j < d; j++) {
            out[j] = (float) (s[j] * inv);
        }
        return out;
    }

    /** Mean over dimensions of the (unbiased) batch standard deviation of the L2-normalised rows. */
    static double meanStdOfNormalized(float[] z, int rows, int d) {
        if (rows < 2) {
            return 0;
        }
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        for (int i = 0; i < rows; i++) {
            double n = 0;
            for (int j = 0; j < d; j++) {
                n += (double) z[i * d + j] * z[i * d + j];
            }
            double inv = 1.0 / Math.max(Math.sqrt(n), 1e-12);
            for (int j = 0; j < d; j++) {
                double v = z[i * d + j] * inv;
                sum[j] += v;
                sumSq[j] += v * v;
            }
        }
        double total = 0;
        for (int j = 0; j < d; j++) {
            double mean = sum[j] / rows;
            double var = Math.max(0, (sumSq[j] - rows * mean * mean) / (rows - 1));
            total += Math.sqrt(var);
        }
        return total / d;
    }
}
