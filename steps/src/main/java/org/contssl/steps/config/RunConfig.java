package org.contssl.steps.config;

import java.util.List;
import java.util.Map;

/**
 * The typed configuration tree of one experiment, bound from a preset plus key=value overrides.
 * Key names follow the reference's Hydra configs (snake_case in YAML, e.g. {@code model.buff_siz}).
 */
public record RunConfig(
        Data data,
        Model model,
        Optim optim,
        Augment augment,
        Logging logging,
        Eval eval,
        Map<String, Lincls> lincls,
        Environment environment) {

    public record Data(
            String source,
            String stream,
            long numFiles,
            int subsample,
            int clipLength,
            String order,
            String trainFilelist,
            String baseDir,
            int recordWidth,
            String type,
            String fnameFmt,
            int nSeqSamples,
            String seqSampling,
            int nClsSamples,
            @com.fasterxml.jackson.annotation.JsonProperty("rewrite_256p") boolean rewrite256p,
            int insize,
            int channels,
            int probeTrainSize,
            int probeTestSize,
            boolean oodProbe,
            int oodProbeTrainSize,
            int oodProbeTestSize,
            int domainProbeTrainSize,
            int domainProbeTestSize,
            double skipLimit,
            long maxImagePixels) {
    }

    public record Model(
            String backbone,
            boolean cifarStem,
            String bufferType,
            int buffSiz,
            int numUpdates,
            int bufferShards,
            String pretrained) {

        /** The reference's decorrelated baseline: no buffer, a Kinetics list's frames shuffled one by one. */
        public static final String NONE_NOSEQ = "none_noseq";

        /** The reference calls FIFO {@code simple}; both names are accepted and normalised to {@code fifo}. */
        public String policy() {
            return "simple".equals(bufferType) ? "fifo" : bufferType;
        }

        public boolean buffered() {
            return !"none".equals(policy()) && !NONE_NOSEQ.equals(bufferType);
        }
    }

    public record Optim(
            int epochs,
            int batchSize,
            double lr,
            boolean fixPredLr,
            double momentum,
            double weightDecay,
            String lrSchedule) {
    }

    public record Augment(
            double cropScaleMin,
            double jitterP,
            double grayscaleP,
            double blurP,
            double blurSigmaMin,
            double blurSigmaMax,
            double flipP) {
    }

    public record Logging(double saveFreq, int printFreq) {
    }

    public record Eval(List<Double> progress, int knnK) {
    }

    public record Lincls(LinclsOptim optim) {
    }

    public record LinclsOptim(int epochs, double lr, int batchSize) {
    }

    public record Environment(long seed, int threads, int workers, int loaderThreads) {
    }
}
