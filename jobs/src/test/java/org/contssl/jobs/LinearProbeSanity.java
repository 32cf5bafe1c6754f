package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A cross-check of the two probes of one partition: on the same frozen features a kNN far above chance means the
 * classes are separable, so a linear probe at chance there is a broken probe (too few SGD steps, a label mix-up), not
 * a weak encoder.
 */
final class LinearProbeSanity {

    /** kNN top-1 this many points above chance counts as "well above". */
    static final double KNN_MARGIN = 20.0;

    private LinearProbeSanity() {
    }

    /**
     * For every (encoder, dataset) of {@code results.json}'s {@code probes} whose kNN top-1 is at least
     * {@link #KNN_MARGIN} points above chance, asserts that the linear top-1 recovers at least half of the kNN's
     * margin above chance.
     *
     * @param classesOf number of classes of a dataset (chance is 100 / classes)
     */
    static void assertLinearAboveChanceWhereKnnIs(JsonNode results, ToIntFunction<String> classesOf) {
        Map<String, Double> knn = new HashMap<>();
        Map<String, Double> linear = new HashMap<>();
        for (JsonNode p : results.get("probes")) {
            String key = (p.hasNonNull("checkpoint") ? p.get("checkpoint").asText() : p.get("encoder").asText())
                    + "@" + p.get("dataset").asText();
            (p.get("method").asText().equals("knn") ? knn : linear).put(key, p.get("top1").asDouble());
        }
        int checked = 0;
        for (var e : knn.entrySet()) {
            String dataset = e.getKey().substring(e.getKey().indexOf('@') + 1);
            double chance = 100.0 / classesOf.applyAsInt(dataset);
            if (e.getValue() < chance + KNN_MARGIN || !linear.containsKey(e.getKey())) {
                continue;
            }
            assertThat(linear.get(e.getKey()))
                    .as("linear top-1 of %s (kNN %.1f %%, chance %.1f %%)", e.getKey(), e.getValue(), chance)
                    .isGreaterThanOrEqualTo(chance + (e.getValue() - chance) / 2);
            checked++;
        }
        assertThat(checked).as("partitions with a kNN well above chance").isPositive();
    }
}
