package org.contssl.model.probe;

import java.util.List;

/**
 * Both probes on one (encoder, dataset) pair, as a probe partition records them.
 *
 * @param linear        linear-probe accuracy
 * @param knn           kNN accuracy, null when kNN was not run
 * @param linearSeconds wall time of the linear probe (train + evaluate)
 * @param knnSeconds    wall time of kNN, 0 when not run
 * @param epochLosses   mean training cross-entropy per linear-probe epoch
 */
public record ProbeOutcome(TopKAccuracy linear, TopKAccuracy knn, double linearSeconds, double knnSeconds, List<Double> epochLosses) {

    /**
     * Runs the linear probe and (when {@code knn} is not null) the kNN probe on the same features.
     *
     * @param train raw probe-train features (normalised inside)
     * @param test  raw probe-test features
     */
    public static ProbeOutcome run(FeatureMatrix train, FeatureMatrix test, ProbeSettings settings, KnnClassifier knn) {
        long t0 = System.nanoTime();
        LinearProbe lp = new LinearProbe(settings);
        TopKAccuracy lin = lp.fitAndEvaluate(train, test);
        double linS = (System.nanoTime() - t0) / 1e9;
        TopKAccuracy k = null;
        double kS = 0;
        if (knn != null) {
            t0 = System.nanoTime();
            k = knn.evaluate(train, test);
            kS = (System.nanoTime() - t0) / 1e9;
        }
        return new ProbeOutcome(lin, k, linS, kS, List.copyOf(lp.epochLosses()));
    }
}
