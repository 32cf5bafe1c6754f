package org.contssl.reports.results;

/**
 * How the probes on one downstream dataset were run, printed in the report's protocol section.
 *
 * @param dataset       dataset name, matches {@link ProbeRecord#dataset()}
 * @param role          in- or out-of-distribution
 * @param trainSet      where the probe's training images come from (e.g. "Fashion-MNIST train[50000,60000), never streamed")
 * @param testSet       where the scored images come from (e.g. "Fashion-MNIST t10k")
 * @param trainSize     probe training images
 * @param testSize      probe test images
 * @param epochs        linear probe epochs
 * @param lr            linear probe base LR (cosine per epoch)
 * @param batchSize     linear probe batch
 * @param momentum      SGD momentum
 * @param larcTrust     LARC trust coefficient
 * @param weightDecay   weight decay
 * @param knnK          k of the kNN probe
 * @param knnVoting     the kNN voting rule in words
 * @param features      which features are probed, in words (e.g. "global-average-pooled backbone output, L2-normalised, eval-mode BN")
 * @param seed          probe seed
 * @param mode          the probe protocol in words ({@code cached: ...} or {@code reference: ...}); null in results
 *                      written before probe modes existed
 */
public record ProbeProtocol(String dataset, DatasetRole role, String trainSet, String testSet, int trainSize, int testSize,
                            int epochs, double lr, int batchSize, double momentum, double larcTrust, double weightDecay,
                            int knnK, String knnVoting, String features, long seed, String mode) {

    /** A protocol without a mode description. */
    public ProbeProtocol(String dataset, DatasetRole role, String trainSet, String testSet, int trainSize, int testSize,
                         int epochs, double lr, int batchSize, double momentum, double larcTrust, double weightDecay,
                         int knnK, String knnVoting, String features, long seed) {
        this(dataset, role, trainSet, testSet, trainSize, testSize, epochs, lr, batchSize, momentum, larcTrust,
                weightDecay, knnK, knnVoting, features, seed, null);
    }

    public ProbeProtocol withMode(String m) {
        return new ProbeProtocol(dataset, role, trainSet, testSet, trainSize, testSize, epochs, lr, batchSize, momentum,
                larcTrust, weightDecay, knnK, knnVoting, features, seed, m);
    }
}
