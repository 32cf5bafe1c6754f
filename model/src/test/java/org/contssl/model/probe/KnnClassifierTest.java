package org.contssl.model.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KnnClassifierTest {

    @Test
    void handMadeExampleFollowsTheWeightedVote() {
        // train: three "a" points near the x axis, two "b" points exactly on the y axis
        float[][] tr = {{1f, 0.1f}, {1f, 0.2f}, {1f, -0.1f}, {0f, 1f}, {0f, 2f}};
        int[] tl = {0, 0, 0, 1, 1};
        FeatureMatrix train = FeatureMatrix.of(tr, tl, 2);
        // query on the y axis: its 3 nearest are the two b points (cos 1) and then (1,0.2) (cos ~0.196)
        FeatureMatrix q = FeatureMatrix.of(new float[][] {{0f, 3f}, {5f, 0f}}, new int[] {1, 0}, 2);
        KnnClassifier knn = new KnnClassifier(3, 0.07, 1);
        // equal similarity (both b points have cosine 1): the lower training index comes first
        assertThat(knn.neighbours(train, q, 0)).containsExactly(3, 4, 1);
        assertThat(knn.neighbours(train, q, 1)).containsExactly(0, 2, 1);
        TopKAccuracy acc = knn.evaluate(train, q);
        assertThat(acc.top1()).isEqualTo(100.0);
        // with wrong labels on the queries the score must drop to 0
        FeatureMatrix wrong = FeatureMatrix.of(new float[][] {{0f, 3f}, {5f, 0f}}, new int[] {0, 1}, 2);
        assertThat(knn.evaluate(train, wrong).top1()).isEqualTo(0.0);
    }

    @Test
    void closeNeighboursOutvoteAMajorityOfFarOnes() {
        // k = 3: one neighbour of class 1 at cosine 1.0 vs two of class 0 at cosine ~0.8; exp(1/0.07) > 2 exp(0.8/0.07)
        float[][] tr = {{1f, 0f}, {0.8f, 0.6f}, {0.8f, -0.6f}};
        FeatureMatrix train = FeatureMatrix.of(tr, new int[] {1, 0, 0}, 2);
        FeatureMatrix q = FeatureMatrix.of(new float[][] {{1f, 0f}}, new int[] {1}, 2);
        assertThat(new KnnClassifier(3, 0.07, 1).evaluate(train, q).top1()).isEqualTo(100.0);
        // a very high temperature is a plain majority vote: class 0 wins
        assertThat(new KnnClassifier(3, 1e6, 1).evaluate(train, q).top1()).isEqualTo(0.0);
    }

    @Test
    void neighboursAreTheTrueNearestByBruteForce() {
        int n = 1300, d = 19; // not multiples of the tile sizes, to exercise every remainder loop
        Random r = new Random(11);
        float[] v = new float[n * d];
        int[] l = new int[n];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) l[i] = i % 3;
        FeatureMatrix train = new FeatureMatrix(v, n, d, l, 3);
        float[] qv = new float[5 * d];
        for (int i = 0; i < qv.length; i++) qv[i] = (float) r.nextGaussian();
        FeatureMatrix test = new FeatureMatrix(qv, 5, d, new int[5], 3);
        KnnClassifier knn = new KnnClassifier(20, 0.07, 1);
        FeatureMatrix tn = train.l2Normalized(), qn = test.l2Normalized();
        for (int q = 0; q < 5; q++) {
            double[] sim = new double[n];
            for (int t = 0; t < n; t++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += (double) qn.values()[q * d + k] * tn.values()[t * d + k];
                sim[t] = s;
            }
            int[] nb = knn.neighbours(train, test, q);
            assertThat(nb).hasSize(20).doesNotHaveDuplicates();
            double kth = sim[nb[19]];
            for (int j = 1; j < 20; j++) assertThat(sim[nb[j]]).isLessThanOrEqualTo(sim[nb[j - 1]] + 1e-5);
            java.util.Set<Integer> chosen = new java.util.HashSet<>();
            for (int i : nb) chosen.add(i);
            for (int t = 0; t < n; t++) {
                if (!chosen.contains(t)) assertThat(sim[t]).isLessThanOrEqualTo(kth + 1e-5);
            }
        }
    }

    @Test
    void separableSetIsClassifiedAndThreadsDoNotChangeTheResult() {
        FeatureMatrix train = LinearProbeTest.separable(2000, 32, 10, 0.3, 1);
        FeatureMatrix test = LinearProbeTest.separable(700, 32, 10, 0.3, 2);
        TopKAccuracy one = new KnnClassifier(20, 0.07, 1).evaluate(train, test);
        TopKAccuracy three = new KnnClassifier(20, 0.07, 3).evaluate(train, test);
        assertThat(one.top1()).isGreaterThanOrEqualTo(99.5);
        assertThat(three).isEqualTo(one);
    }

    @Test
    void kLargerThanTheBankUsesEveryTrainingPoint() {
        FeatureMatrix train = FeatureMatrix.of(new float[][] {{1f, 0f}, {0f, 1f}}, new int[] {0, 1}, 2);
        FeatureMatrix q = FeatureMatrix.of(new float[][] {{1f, 0.1f}}, new int[] {0}, 2);
        assertThat(new KnnClassifier(20, 0.07, 1).neighbours(train, q, 0)).containsExactly(0, 1);
        assertThat(new KnnClassifier(20, 0.07, 1).evaluate(train, q).top1()).isEqualTo(100.0);
    }
}
