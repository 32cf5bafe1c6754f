package org.contssl.steps.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.contssl.lists.stream.StreamPlanner;
import org.contssl.model.Engines;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.TrainerOptions;
import org.contssl.steps.config.LinclsConfig;
import org.contssl.steps.config.Presets;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.pretrain.PretrainPlan;
import org.contssl.steps.pretrain.SaveSchedule;
import org.contssl.steps.probe.ProbeRecipe;

/**
 * What a configuration will cost before any of it runs ({@code plan}): the step accounting of the pretrain step
 * ({@link PretrainPlan#of(RunConfig, long)}, the very code the pretrain step uses), checkpoints, probe partitions,
 * disk, and a wall-time estimate from a few timed SGD steps of the configured backbone on this machine.
 *
 * <p>Stream length, first match wins: the stream list of an existing workdir (what a run there trains on); the
 * records of {@code data.train_filelist} in its {@code data.type} if it is set and readable ({@link ListCounts});
 * else {@code data.num_files} as the preset declares it (whole clips for sequential streams and Kinetics lists,
 * four equal domains for domain streams), which for a generated stream is exact as long as the source has that
 * many images left after the held-out probes, and for a list is the preset's estimate of it.
 *
 * <p>Probe sets are the ones the probe step will run: the built-in ones a user {@code lincls.imnet}/{@code inat}
 * set does not replace, plus every user set; a user set's images are counted when its lists are readable here.
 */
public record RunPlan(String streamSource, long streamRecords, int subsample, PretrainPlan pretrain,
                      long checkpoints, int probePartitions, long bufferBytes, long checkpointBytes,
                      long featureBytes, Timing timing, double pretrainSeconds, double probeSeconds,
                      List<String> missingKeys) {

    /** One measured SGD step: backbone, batch it ran at, seconds per step scaled to the configured batch. */
    public record Timing(String backbone, int insize, int timedBatch, int timedSteps, double secondsPerStep,
                         long parameters) {
    }

    /** Share of a training step the loading pipeline adds on top (measured: bench pipeline, 0.96 efficiency). */
    static final double PIPELINE_OVERHEAD = 1 / 0.96;
    /**
     * Per-run cost outside the SGD steps: job start, engine and buffer set-up, decoding the fill chunks, writing
     * checkpoints. The demo on an idle 2-core machine: ≈ 2 min of pretraining, of which 312 steps at the
     * measured 961 image-steps/s account for 83 s.
     */
    static final double PRETRAIN_FIXED_SECONDS = 30;
    /** One training step is two views forward + backward, about six forward passes per image. */
    static final double FORWARDS_PER_TRAIN_IMAGE = 6.0;

    /**
     * Plans {@code config}.
     *
     * @param workdir     an existing workdir whose built stream list to use, or null
     * @param timedSteps  SGD steps to time after two warm-up steps (0: no timing, no time estimate)
     * @param maxTimedBatch largest batch to time; a larger configured batch is scaled linearly from it
     */
    public static RunPlan of(ResolvedConfig resolved, Path workdir, int timedSteps, int maxTimedBatch) {
        RunConfig c = resolved.config();
        Map.Entry<String, Long> stream = streamLength(c, workdir);
        int k = c.data().subsample();
        long records = stream.getValue() / k;
        PretrainPlan p = PretrainPlan.of(c, records);
        SaveSchedule save = new SaveSchedule(p.totalSteps(), c.logging().saveFreq());
        long ckpts = 0;
        for (long s = 1; s <= p.totalSteps(); s++) {
            if (save.dueAfter(s).isPresent()) {
                ckpts++;
            }
        }
        // the pretrain step also checkpoints where the stream ends (the drain resumes from there) and at each of the
        // three inner domain boundaries of a domains stream
        if (p.buffered() && p.drainSteps() > 0) {
            ckpts++;
        }
        if ("domains".equals(c.data().stream())) {
            ckpts += 3;
        }
        SimSiamSpec spec = SimSiamSpec.of(c.model().backbone(), c.data().channels(), c.data().insize(),
                c.model().cifarStem());
        List<ProbeLoad> probes = probeSets(c);
        int encoders = c.eval().progress().size();
        int domainPartitions = "domains".equals(c.data().stream()) ? 4 * 4 : 0;
        int partitions = probes.size() * (encoders + 2) + domainPartitions;

        long probeImages = probes.stream().mapToLong(pl -> pl.trainRows() + pl.valRows()).sum();
        long domainImages = domainPartitions > 0
                ? 4L * (c.data().domainProbeTrainSize() + c.data().domainProbeTestSize()) : 0;
        // every encoder partition (trained checkpoints + the random-init floor) caches its frozen features
        long featureRows = probeImages * (encoders + 1) + domainImages * 4;
        long featureBytes = featureRows * spec.featureDim() * 4L;

        int capacity = c.model().buffered() ? c.model().buffSiz() : 0;
        // buffer file: one fixed-size value per entry (64-byte header + the feature) plus map overhead
        long bufferBytes = capacity == 0 ? 0 : (long) (capacity * Math.max(64 + 4L * spec.dim(), 128) * 1.35);
        Timing timing = timedSteps > 0 ? time(c, spec, timedSteps, maxTimedBatch) : null;
        long params = timing != null ? timing.parameters() : 0;
        // a checkpoint holds parameters + SGD momentum (float32 each) and the buffer snapshot
        long ckptBytes = params * 8L + (capacity == 0 ? 0 : capacity * (4L * spec.dim() + 32));

        double pretrainSeconds = Double.NaN;
        double probeSeconds = Double.NaN;
        if (timing != null) {
            pretrainSeconds = PRETRAIN_FIXED_SECONDS + p.totalSteps() * timing.secondsPerStep() * PIPELINE_OVERHEAD;
            double forwardPerImage = timing.secondsPerStep() / (FORWARDS_PER_TRAIN_IMAGE * c.optim().batchSize());
            probeSeconds = featureRows * forwardPerImage + probeTrainingSeconds(c, probes, forwardPerImage);
        }
        return new RunPlan(stream.getKey(), stream.getValue(), k, p, ckpts, partitions, bufferBytes,
                ckpts * ckptBytes, featureBytes, timing, pretrainSeconds, probeSeconds,
                Presets.missingKeys(resolved.tree()));
    }

    private static Map.Entry<String, Long> streamLength(RunConfig c, Path workdir) {
        if (workdir != null && Files.isRegularFile(workdir.resolve("lists").resolve(StreamPlanner.PLAN_FILE))) {
            long n = StreamPlanner.readPlan(workdir.resolve("lists")).streamLength();
            return Map.entry("the stream list built in " + workdir, n);
        }
        RunConfig.Data d = c.data();
        String list = d.trainFilelist();
        String type = d.type().isEmpty() ? "memmap" : d.type();
        OptionalLong counted = ListCounts.streamRecords(d);
        if (counted.isPresent()) {
            return Map.entry("data.train_filelist " + list + ", a " + type + " list", counted.getAsLong());
        }
        long n = d.numFiles();
        if (n <= 0) {
            throw new org.contssl.steps.config.ConfigException("plan needs the stream length: set data.num_files=N"
                    + " (records in the stream) or data.train_filelist=PATH, or pass --workdir of a built run");
        }
        boolean ownList = !list.isBlank();
        if (ownList && "sequential".equals(type) && d.nSeqSamples() > 0) {
            n = n / d.nSeqSamples() * d.nSeqSamples();
        } else if (!ownList && "sequential".equals(d.stream())) {
            n = n / d.clipLength() * d.clipLength();
        } else if (!ownList && "domains".equals(d.stream())) {
            n = n / 4 * 4;
        }
        if (!ownList) {
            return Map.entry("data.num_files as declared", n);
        }
        // a list is used whole: without it the preset's num_files is only an estimate of its length
        String why = Presets.REQUIRED.equals(list) ? "data.train_filelist is not set yet"
                : "data.train_filelist " + list + " is not readable here";
        return Map.entry("data.num_files as the preset declares it, an estimate: " + why + "; give the " + type
                + " list to count its records", n);
    }

    /**
     * Times {@code steps} SGD steps (after one warm-up) on random views at the configured size and batch, or at a
     * smaller batch (scaled linearly) when a full one would take more than a few seconds on a CPU.
     */
    static Timing time(RunConfig c, SimSiamSpec spec, int steps, int maxBatch) {
        Engines.configure(c.environment().threads(), 1);
        OptimSpec optim = new OptimSpec(c.optim().lr(), c.optim().momentum(), c.optim().weightDecay(),
                c.optim().lrSchedule().schedule(), steps + 2L, c.optim().fixPredLr());
        try (SimSiamTrainer t = SimSiamTrainer.create(spec, optim, 0, TrainerOptions.fastest())) {
            long[] macs = t.forwardMacsPerImage();
            long perImage = Math.max(1, macs[0] + macs[1]);
            int batch = (int) Math.max(2, Math.min(Math.min(c.optim().batchSize(), maxBatch),
                    TIMED_STEP_MACS / perImage));
            float[] v1 = new float[batch * spec.imageFloats()];
            float[] v2 = new float[v1.length];
            SplittableRandom random = new SplittableRandom(1);
            for (int i = 0; i < v1.length; i++) {
                v1[i] = (float) random.nextGaussian();
                v2[i] = (float) random.nextGaussian();
            }
            // two warm-up steps (kernel selection, allocator growth), then the median step: robust to a stall
            t.step(v1, v2, batch);
            t.step(v1, v2, batch);
            double[] times = new double[steps];
            for (int s = 0; s < steps; s++) {
                long t0 = System.nanoTime();
                t.step(v1, v2, batch);
                times[s] = (System.nanoTime() - t0) / 1e9;
            }
            java.util.Arrays.sort(times);
            double perStep = steps % 2 == 1 ? times[steps / 2] : (times[steps / 2 - 1] + times[steps / 2]) / 2;
            double scaled = perStep * c.optim().batchSize() / batch;
            return new Timing(c.model().backbone(), c.data().insize(), batch, steps, scaled, t.parameterCount());
        }
    }

    /** Forward MACs of one timed step's batch (per view) above which the batch is reduced: a few CPU seconds. */
    static final long TIMED_STEP_MACS = 40_000_000_000L;

    /** One probe set the probe step will run: its {@code lincls.<key>} settings, role and image counts. */
    record ProbeLoad(String key, String role, long trainRows, long valRows) {
    }

    /**
     * The probe step's sets (as {@code UserProbeSets.effective}): the built-in in-distribution set of a generated
     * stream and the built-in out-of-distribution set unless a user {@code imnet}/{@code inat} set replaces it, then
     * the user sets, whose images count 0 while their lists are not readable here.
     */
    static List<ProbeLoad> probeSets(RunConfig c) {
        LinclsConfig l = c.lincls();
        List<ProbeLoad> out = new ArrayList<>();
        boolean generated = c.data().trainFilelist().isBlank();
        if (generated && !userLists(l, LinclsConfig.IMNET)) {
            out.add(new ProbeLoad(LinclsConfig.IMNET, "in-distribution", c.data().probeTrainSize(),
                    c.data().probeTestSize()));
        }
        if (c.data().oodProbe() && !userLists(l, LinclsConfig.INAT)) {
            out.add(new ProbeLoad(LinclsConfig.INAT, "out-of-distribution", c.data().oodProbeTrainSize(),
                    c.data().oodProbeTestSize()));
        }
        l.sets().forEach((name, set) -> {
            if (set.userLists()) {
                out.add(new ProbeLoad(name, set.role(), ListCounts.probeImages(set.trainFilelist()).orElse(0),
                        ListCounts.probeImages(set.valFilelist()).orElse(0)));
            }
        });
        return out;
    }

    private static boolean userLists(LinclsConfig l, String name) {
        return l.sets().containsKey(name) && l.set(name).userLists();
    }

    /**
     * Linear-probe training per set and encoder: LARC steps on cached features (one small matmul step per
     * mini-batch, dominated by per-step overhead); {@code lincls.mode=reference} also re-augments and forwards
     * every training image in every epoch.
     */
    private static double probeTrainingSeconds(RunConfig c, List<ProbeLoad> probes, double forwardPerImage) {
        double seconds = 0;
        int encoders = c.eval().progress().size() + 2;
        for (ProbeLoad set : probes) {
            int rows = (int) Math.min(Integer.MAX_VALUE, set.trainRows());
            ProbeRecipe r = ProbeRecipe.of(c, set.key(), set.role(), rows);
            long stepsPerEpoch = (rows + r.batchSize() - 1L) / r.batchSize();
            seconds += encoders * r.epochs() * stepsPerEpoch * PROBE_STEP_SECONDS;
            if (r.reference()) {
                seconds += encoders * r.epochs() * (double) rows * forwardPerImage;
            }
        }
        return seconds;
    }

    /** Seconds per LARC step on cached features (the demo's probe job: about 2.5 ms per step on 2 cores). */
    static final double PROBE_STEP_SECONDS = 0.0025;
}
