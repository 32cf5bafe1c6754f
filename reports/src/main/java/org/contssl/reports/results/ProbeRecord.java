package org.contssl.reports.results;

import java.util.Objects;

/**
 * One probe result: one encoder (a checkpoint or a floor) on one downstream dataset with one method.
 *
 * @param encoder     trained checkpoint, random-init floor or raw-pixel floor
 * @param checkpoint  checkpoint name for {@link EncoderKind#TRAINED}, null for floors
 * @param progress    stream fraction in [0,1] of that checkpoint, null for floors
 * @param dataset     downstream dataset name (e.g. "fashion-mnist")
 * @param role        in- or out-of-distribution
 * @param method      linear or kNN
 * @param top1        top-1 accuracy in percent
 * @param top5        top-5 accuracy in percent (k = min(5, classes))
 * @param trainSize   images the probe was trained on (kNN: memory bank size)
 * @param testSize    images it was scored on
 * @param featureDim  feature dimension, null when unknown
 * @param wallSeconds time to extract + probe, null when unknown
 */
public record ProbeRecord(EncoderKind encoder, String checkpoint, Double progress, String dataset, DatasetRole role,
                          ProbeMethod method, double top1, double top5, int trainSize, int testSize,
                          Integer featureDim, Double wallSeconds) {
    public ProbeRecord {
        Objects.requireNonNull(encoder, "probe record: encoder is required");
        Objects.requireNonNull(dataset, "probe record: dataset is required");
        Objects.requireNonNull(role, "probe record: role is required");
        Objects.requireNonNull(method, "probe record: method is required");
        if (encoder == EncoderKind.TRAINED && progress == null) {
            throw new IllegalArgumentException("probe record for checkpoint " + checkpoint + " on " + dataset + ": a trained encoder needs its stream progress");
        }
        if (!(top1 >= 0 && top1 <= 100) || !(top5 >= 0 && top5 <= 100)) {
            throw new IllegalArgumentException("probe record " + dataset + "/" + method.key() + ": accuracies are percentages in [0,100], got top1=" + top1 + " top5=" + top5);
        }
    }

    /** A trained checkpoint's result. */
    public static ProbeRecord trained(String checkpoint, double progress, String dataset, DatasetRole role, ProbeMethod method,
                                      double top1, double top5, int trainSize, int testSize) {
        return new ProbeRecord(EncoderKind.TRAINED, checkpoint, progress, dataset, role, method, top1, top5, trainSize, testSize, null, null);
    }

    /** A floor's result (random-init or raw pixels). */
    public static ProbeRecord floor(EncoderKind kind, String dataset, DatasetRole role, ProbeMethod method,
                                    double top1, double top5, int trainSize, int testSize) {
        if (kind == EncoderKind.TRAINED) {
            throw new IllegalArgumentException("probe record: use trained(...) for a checkpoint");
        }
        return new ProbeRecord(kind, null, null, dataset, role, method, top1, top5, trainSize, testSize, null, null);
    }

    public ProbeRecord withFeatureDim(int dim) {
        return new ProbeRecord(encoder, checkpoint, progress, dataset, role, method, top1, top5, trainSize, testSize, dim, wallSeconds);
    }

    public ProbeRecord withWallSeconds(double s) {
        return new ProbeRecord(encoder, checkpoint, progress, dataset, role, method, top1, top5, trainSize, testSize, featureDim, s);
    }
}
