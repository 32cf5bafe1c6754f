package org.contssl.steps.config;

import java.util.List;
import java.util.Set;

/** Range and vocabulary checks; each failure names the key, the bad value and what is allowed. */
final class ConfigValidator {

    private static final Set<String> SOURCES = Set.of("fashion-mnist", "mnist");
    private static final Set<String> STREAMS = Set.of("iid", "ordered", "sequential", "domains");
    private static final Set<String> BACKBONES = Set.of("conv4", "resnet18", "resnet50");
    private static final Set<String> BUFFERS = Set.of("none", "none_noseq", "fifo", "simple", "minred", "reservoir");
    private static final Set<String> TYPES = Set.of("", "memmap", "standard", "sequential", "class_sequential");
    private static final Set<String> SEQ_SAMPLING = Set.of("consecutive", "random");
    private static final Set<String> SCHEDULES = Set.of("cos", "constant", "triangle");
    private static final Set<String> ORDERS = Set.of("0123", "0312", "3120");
    private static final Set<String> MODES = Set.of(LinclsConfig.CACHED, LinclsConfig.REFERENCE);
    private static final Set<String> ROLES = Set.of("in-distribution", "out-of-distribution");

    private ConfigValidator() {
    }

    static void validate(RunConfig c) {
        RunConfig.Data d = c.data();
        if (!SOURCES.contains(d.source()) && !d.source().startsWith("folder:")) {
            fail("data.source", d.source(), "fashion-mnist, mnist or folder:DIR");
        }
        oneOf("data.stream", d.stream(), STREAMS);
        if ("domains".equals(d.stream())) {
            oneOf("data.order", d.order(), ORDERS);
        }
        oneOf("data.type", d.type(), TYPES);
        if (!d.type().isEmpty() && !"memmap".equals(d.type()) && d.trainFilelist().isBlank()) {
            throw new ConfigException("data.type=" + d.type() + " reads data.train_filelist, which is not set: set"
                    + " data.train_filelist=PATH (and data.base_dir=DIR)");
        }
        if (!d.domains().isBlank() && (d.trainFilelist().isBlank() || !"ordered".equals(d.stream())
                || !(d.type().isEmpty() || "memmap".equals(d.type())))) {
            throw new ConfigException("data.domains=" + d.domains() + " splits a memmap data.train_filelist played"
                    + " in order: set data.train_filelist=PATH and data.stream=ordered (the built-in domains stream"
                    + " is data.stream=domains without data.domains)");
        }
        oneOf("data.seq_sampling", d.seqSampling(), SEQ_SAMPLING);
        if ("sequential".equals(d.type())) {
            try {
                org.contssl.lists.stream.FrameNames.parse(d.fnameFmt());
            } catch (org.contssl.lists.ListFormatException e) {
                throw new ConfigException("invalid data.fname_fmt=" + d.fnameFmt() + ": expected one integer field"
                        + " such as {:03d}.jpeg or {:05d}.jpg");
            }
        }
        atLeast("data.num_files", d.numFiles(), 0);
        atLeast("data.subsample", d.subsample(), 1);
        atLeast("data.clip_length", d.clipLength(), 1);
        if (d.recordWidth() != 0) {
            atLeast("data.record_width", d.recordWidth(), 8);
        }
        atLeast("data.insize", d.insize(), 8);
        if (d.channels() != 1 && d.channels() != 3) {
            fail("data.channels", String.valueOf(d.channels()), "1 or 3");
        }
        atLeast("data.probe_train_size", d.probeTrainSize(), 10);
        atLeast("data.probe_test_size", d.probeTestSize(), 10);
        atLeast("data.ood_probe_train_size", d.oodProbeTrainSize(), 10);
        atLeast("data.ood_probe_test_size", d.oodProbeTestSize(), 10);
        atLeast("data.domain_probe_train_size", d.domainProbeTrainSize(), 10);
        atLeast("data.domain_probe_test_size", d.domainProbeTestSize(), 10);
        fraction("data.skip_limit", d.skipLimit());
        atLeast("data.max_image_pixels", d.maxImagePixels(), 64);

        RunConfig.Model m = c.model();
        oneOf("model.backbone", m.backbone(), BACKBONES);
        oneOf("model.buffer_type", m.bufferType(), BUFFERS);
        atLeast("model.num_updates", m.numUpdates(), 1);
        atLeast("model.buffer_shards", m.bufferShards(), 1);
        if (m.limitNumSeenCoeff() > 0 && !"minred".equals(m.policy())) {
            throw new ConfigException("model.limit_num_seen_coeff=" + trim(m.limitNumSeenCoeff())
                    + " applies to model.buffer_type=minred only (the reference's MinRed drop rule): use -1 (off)");
        }
        if (m.buffered()) {
            atLeast("model.buff_siz", m.buffSiz(), c.optim().batchSize());
            if (m.buffSiz() % m.bufferShards() != 0) {
                throw new ConfigException("model.buff_siz=" + m.buffSiz() + " must be divisible by model.buffer_shards="
                        + m.bufferShards());
            }
            if (c.optim().epochs() != 1) {
                throw new ConfigException("optim.epochs=" + c.optim().epochs()
                        + " applies to model.buffer_type=none only: buffered runs are single-pass (use model.num_updates)");
            }
        }

        RunConfig.Optim o = c.optim();
        atLeast("optim.epochs", o.epochs(), 1);
        atLeast("optim.batch_size", o.batchSize(), 2);
        if (o.batchSize() % m.bufferShards() != 0) {
            throw new ConfigException("optim.batch_size=" + o.batchSize() + " must be divisible by model.buffer_shards="
                    + m.bufferShards());
        }
        positive("optim.lr", o.lr());
        fraction("optim.momentum", o.momentum());
        atLeast("optim.weight_decay", o.weightDecay(), 0);
        RunConfig.LrScheduleKeys lr = o.lrSchedule();
        if (lr == null || lr.type() == null) {
            fail("optim.lr_schedule.type", "(missing)", String.join(", ", SCHEDULES.stream().sorted().toList()));
        }
        oneOf("optim.lr_schedule.type", lr.type(), SCHEDULES);
        if ("triangle".equals(lr.type())) {
            atLeast("optim.lr_schedule.period", lr.period(), 1);
            atLeast("optim.lr_schedule.max_lr", lr.maxLr(), 0);
        }
        fraction("optim.lr_schedule.exit_decay", lr.exitDecay());

        RunConfig.Augment a = c.augment();
        fraction("augment.crop_scale_min", a.cropScaleMin());
        fraction("augment.jitter_p", a.jitterP());
        fraction("augment.grayscale_p", a.grayscaleP());
        fraction("augment.blur_p", a.blurP());
        fraction("augment.flip_p", a.flipP());
        positive("augment.blur_sigma_min", a.blurSigmaMin());
        if (a.blurSigmaMax() < a.blurSigmaMin()) {
            fail("augment.blur_sigma_max", String.valueOf(a.blurSigmaMax()), "a value >= augment.blur_sigma_min");
        }

        double saveFreq = c.logging().saveFreq();
        if (!(saveFreq > 0 && saveFreq <= 1)) {
            fail("logging.save_freq", String.valueOf(saveFreq), "a fraction in (0, 1]");
        }
        atLeast("logging.print_freq", c.logging().printFreq(), 1);

        List<Double> progress = c.eval().progress();
        if (progress == null || progress.isEmpty()) {
            fail("eval.progress", "[]", "a non-empty list of fractions in (0, 1]");
        }
        for (double p : progress) {
            if (!(p > 0 && p <= 1)) {
                fail("eval.progress", String.valueOf(p), "fractions in (0, 1]");
            }
        }
        atLeast("eval.knn_k", c.eval().knnK(), 1);
        lincls(c.lincls());

        RunConfig.Environment env = c.environment();
        atLeast("environment.threads", env.threads(), 1);
        atLeast("environment.workers", env.workers(), 1);
        atLeast("environment.loader_threads", env.loaderThreads(), 1);
        atLeast("environment.stop_grace_s", env.stopGraceS(), 1);
        if (!env.device().matches("cpu|cuda|cuda:[0-9]{1,3}")) {
            fail("environment.device", env.device(), "cpu, cuda or cuda:N");
        }
    }

    private static void lincls(LinclsConfig l) {
        oneOf("lincls.mode", l.mode(), MODES);
        double crop = l.evalCropFraction();
        if (crop != 0 && !(crop > 0 && crop <= 1)) {
            fail("lincls.eval_crop_fraction", trim(crop), "0 (the mode's default) or a fraction in (0, 1]");
        }
        if (!(l.mappedAboveMb() >= 0) || Double.isInfinite(l.mappedAboveMb())) {
            fail("lincls.mapped_above_mb", trim(l.mappedAboveMb()), "a number of MB >= 0 (0 = always memory-mapped)");
        }
        for (String name : List.of(LinclsConfig.IMNET, LinclsConfig.INAT)) {
            if (!l.sets().containsKey(name)) {
                throw new ConfigException("lincls." + name + " is missing: the built-in probes need settings for both"
                        + " roles");
            }
        }
        for (var e : l.sets().entrySet()) {
            String k = "lincls." + e.getKey();
            LinclsConfig.ProbeSetConfig set = e.getValue();
            oneOf(k + ".role", set.role(), ROLES);
            atLeast(k + ".num_classes", set.numClasses(), 0);
            if (set.numClasses() == 1) {
                fail(k + ".num_classes", "1", "0 (from the labels) or at least 2");
            }
            if (set.userLists() && (set.trainFilelist().isBlank() || set.valFilelist().isBlank())) {
                String missing = set.trainFilelist().isBlank() ? "train_filelist" : "val_filelist";
                throw new ConfigException(k + "." + missing + " is empty: a probe set needs both train_filelist and"
                        + " val_filelist (a <path> <label> text list or a class-folder tree each)");
            }
            if (set.userLists() && LinclsConfig.DOMAINS.equals(e.getKey())) {
                throw new ConfigException(k + " holds only the domain probes' optim settings: their lists come from"
                        + " data.domains; give this set another name");
            }
            if (!set.userLists() && !LinclsConfig.IMNET.equals(e.getKey()) && !LinclsConfig.INAT.equals(e.getKey())
                    && !LinclsConfig.DOMAINS.equals(e.getKey())) {
                throw new ConfigException(k + " has no lists: set " + k + ".train_filelist and " + k
                        + ".val_filelist (only imnet and inat stand for the built-in probes)");
            }
            if (!set.userLists() && !set.baseDir().isBlank()) {
                throw new ConfigException(k + ".base_dir is set but " + k + " has no lists");
            }
            atLeast(k + ".optim.epochs", set.optim().epochs(), 0);
            atLeast(k + ".optim.lr", set.optim().lr(), 0);
            atLeast(k + ".optim.batch_size", set.optim().batchSize(), 0);
        }
    }

    private static void oneOf(String key, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            fail(key, value, String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    private static void atLeast(String key, double value, double min) {
        if (value < min) {
            fail(key, trim(value), "a value >= " + trim(min));
        }
    }

    private static void positive(String key, double value) {
        if (!(value > 0)) {
            fail(key, trim(value), "a value > 0");
        }
    }

    private static void fraction(String key, double value) {
        if (!(value >= 0 && value <= 1)) {
            fail(key, trim(value), "a fraction in [0, 1]");
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static void fail(String key, String value, String allowed) {
        throw new ConfigException("invalid " + key + "=" + value + ": expected " + allowed);
    }
}
