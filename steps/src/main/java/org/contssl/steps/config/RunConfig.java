package org.contssl.steps.config;

import java.util.List;

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
        LinclsConfig lincls,
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
            String domains,
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
            String pretrained,
            double limitNumSeenCoeff) {

        /** The reference's decorrelated baseline: no buffer, a Kinetics list's frames shuffled one by one. */
        public static final String NONE_NOSEQ = "none_noseq";

        /** The reference calls FIFO {@code simple}; both names are accepted and normalised to {@code fifo}. */
        public String policy() {
            return "simple".equals(bufferType) ? "fifo" : bufferType;
        }

        public boolean buffered() {
            return !"none".equals(policy()) && !NONE_NOSEQ.equals(bufferType);
        }

        /**
         * The reference's MinRed drop rule {@code num_seen >= c·R} as the integer threshold the buffer applies
         * (num_seen is a count, so {@code >= c·R} is {@code >= ceil(c·R)}, computed on the same double product);
         * 0 = off, which is what any c &lt;= 0 means (reference default −1).
         */
        public int limitNumSeen() {
            return limitNumSeenCoeff > 0 ? (int) Math.ceil(limitNumSeenCoeff * numUpdates) : 0;
        }
    }

    public record Optim(
            int epochs,
            int batchSize,
            double lr,
            boolean fixPredLr,
            double momentum,
            double weightDecay,
            LrScheduleKeys lrSchedule) {
    }

    /**
     * {@code optim.lr_schedule.*}, the reference's group: {@code type} (cos | constant | triangle), and triangle's
     * {@code period} (steps) and {@code max_lr}, plus {@code exit_decay} (fraction of training with an extra cosine
     * decay, 0 = off). A preset may still write the bare {@code optim.lr_schedule: cos}; the loader expands it.
     */
    public record LrScheduleKeys(String type, int period, double maxLr, double exitDecay) {

        /** The model module's schedule for these keys. */
        public org.contssl.model.optim.LrSchedule schedule() {
            return org.contssl.model.optim.LrSchedule.of(
                    org.contssl.model.optim.LrSchedule.Type.valueOf(type.toUpperCase(java.util.Locale.ROOT)),
                    period, maxLr, exitDecay);
        }
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

    /**
     * {@code stop_grace_s}: how long a graceful stop (SIGTERM/SIGINT) may take before the process exits at once;
     * operational, not part of the experiment's arithmetic. Presets that leave it out get the default.
     * {@code device}: {@code cpu} (default), {@code cuda} or {@code cuda:N}, where the engine's tensors live.
     */
    public record Environment(long seed, int threads, int workers, int loaderThreads, Integer stopGraceS,
                              String device) {
        public static final int DEFAULT_STOP_GRACE_S = 120;

        public Environment {
            if (stopGraceS == null) {
                stopGraceS = DEFAULT_STOP_GRACE_S;
            }
            if (device == null) {
                device = "cpu";
            }
        }
    }
}
