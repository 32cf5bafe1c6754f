/**
 * Linear and kNN probes on cached, frozen features (docs/reference-system.md §9.1), in plain Java: no DJL, no Spring.
 *
 * <ul>
 *   <li>{@link org.contssl.model.probe.FeatureMatrix}: n x d float features + labels; {@link org.contssl.model.probe.FeatureFile}
 *   caches one on disk (checksummed, atomic).</li>
 *   <li>{@link org.contssl.model.probe.LinearProbe}: L2-normalised features, linear layer, SGD momentum 0.9 + LARC
 *   (trust 0.001), per-epoch cosine LR, seeded; {@link org.contssl.model.probe.ProbeSettings#defaults()} holds the
 *   scaled-down schedule (20 epochs, lr 3.0, batch 64) that reaches the raw-pixel floor on Fashion-MNIST.</li>
 *   <li>{@link org.contssl.model.probe.KnnClassifier}: cosine kNN (k = 20), weighted vote exp(cos/0.07).</li>
 *   <li>{@link org.contssl.model.probe.ProbeOutcome#run}: both probes on one (encoder, dataset) pair.</li>
 * </ul>
 */
package org.contssl.model.probe;
