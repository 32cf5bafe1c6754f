package org.contssl.model.probe;

/**
 * Classification accuracy on a test set, in percent like the reference's {@code acc1}/{@code acc5}.
 * Top-5 uses k = min(5, numClasses).
 */
public record TopKAccuracy(double top1, double top5, int correctTop1, int correctTop5, int total) {

    static TopKAccuracy of(int c1, int c5, int total) {
        return new TopKAccuracy(100.0 * c1 / total, 100.0 * c5 / total, c1, c5, total);
    }

    /**
     * Rank of the true class among the scores (0 = best). Ties are broken towards the lower class index, the same
     * rule an argmax over the scores uses, so rank 0 equals "argmax is correct".
     */
    static int rankOf(double[] scores, int trueClass) {
        double s = scores[trueClass];
        int rank = 0;
        for (int c = 0; c < scores.length; c++) {
            if (scores[c] > s || (scores[c] == s && c < trueClass)) {
                rank++;
            }
        }
        return rank;
    }
}
