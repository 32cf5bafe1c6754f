package org.contssl.steps.probe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.lists.stream.StreamPlanner;
import org.contssl.reports.results.EncoderKind;
import org.contssl.steps.config.LinclsConfig;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.pretrain.SaveSchedule;
import org.contssl.steps.pretrain.TrainingCheckpoints;
import org.contssl.steps.probe.sets.SeenDomains;
import org.contssl.steps.probe.sets.UserProbeSets;
import org.contssl.storage.checkpoint.Checkpoint;

/**
 * Which (encoder, dataset) pairs the probe step evaluates: every checkpoint listed in {@code eval.progress} on
 * every downstream set (the built-in ones and the user's, see {@link UserProbeSets#effective}), the two floors
 * (random-init encoder, raw pixels) on every set, and for a domains stream each domain-boundary checkpoint on each
 * domain's own held-out set (the accuracy matrix A[after i][on j]) while the progress points are probed on the union
 * of the domains seen so far ({@link SeenDomains}) instead of on each domain alone. Those domain probes take their
 * schedule from {@code lincls.domains}, never from {@code lincls.imnet}: imnet's epochs are sized for its own set
 * (10 x 1024 for 1.28M images), which on a 48-image domain probe is a handful of LARC steps and leaves the head at
 * chance (docs/your-own-data.md, Domains).
 */
public final class ProbePlanner {

    public static final String RANDOM_INIT = "random-init";
    public static final String RAW_PIXELS = "raw-pixels";

    private ProbePlanner() {
    }

    public static List<ProbeTarget> targets(RunConfig config, Path planFile, Path checkpointsDir) {
        StreamPlan plan = StreamPlanner.readPlan(planFile.getParent());
        List<Checkpoint> checkpoints = new TrainingCheckpoints(checkpointsDir).list();
        Map<String, Checkpoint> encoders = new LinkedHashMap<>();
        for (double p : config.eval().progress()) {
            checkpointFor(checkpoints, p).ifPresent(c -> encoders.putIfAbsent(c.name(), c));
        }
        List<ProbeTarget> targets = new ArrayList<>();
        List<ProbeSet> seen = SeenDomains.read(planFile.getParent());
        for (UserProbeSets.Planned p : UserProbeSets.effective(plan, planFile.getParent())) {
            if (!seen.isEmpty() && plan.domainProbes().stream().anyMatch(d -> d.name().equals(p.set().name()))) {
                continue; // a domain alone is probed at the boundaries (the matrix); the progress points use the union
            }
            for (Checkpoint c : encoders.values()) {
                targets.add(trained(c, p.set(), p.settingsKey()));
            }
            targets.add(floor(EncoderKind.RANDOM_INIT, p.set(), p.settingsKey()));
            targets.add(floor(EncoderKind.RAW_PIXELS, p.set(), p.settingsKey()));
        }
        if (!seen.isEmpty()) {
            Map<String, ProbeSet> union = new LinkedHashMap<>();
            for (double p : config.eval().progress()) {
                ProbeSet set = seen.get(Math.min(seen.size(), SeenDomains.seenAt(plan, p)) - 1);
                checkpointFor(checkpoints, p).ifPresent(c -> union.putIfAbsent(c.name(), set));
            }
            union.forEach((name, set) -> targets.add(trained(encoders.get(name), set, LinclsConfig.DOMAINS)));
            targets.add(floor(EncoderKind.RANDOM_INIT, seen.get(seen.size() - 1), LinclsConfig.DOMAINS));
            targets.add(floor(EncoderKind.RAW_PIXELS, seen.get(seen.size() - 1), LinclsConfig.DOMAINS));
        }
        if (!plan.domainProbes().isEmpty()) {
            for (Checkpoint c : domainCheckpoints(checkpoints, plan.domainProbes().size())) {
                for (ProbeSet set : plan.domainProbes()) {
                    targets.add(trained(c, set, LinclsConfig.DOMAINS));
                }
            }
        }
        return targets;
    }

    /** The checkpoints closing each domain in stream order: after D(1st) .. after D(3rd), then the final one. */
    public static List<Checkpoint> domainCheckpoints(List<Checkpoint> checkpoints, int domains) {
        List<Checkpoint> out = new ArrayList<>();
        for (int k = 1; k < domains; k++) {
            String name = "checkpoint_domain" + k;
            checkpoints.stream().filter(c -> c.name().equals(name)).findFirst().ifPresent(out::add);
        }
        checkpoints.stream().filter(c -> c.name().equals(SaveSchedule.FINAL)).findFirst().ifPresent(out::add);
        return out;
    }

    /** The checkpoint saved at {@code progress} (by name), else the first one at or after it. */
    static Optional<Checkpoint> checkpointFor(List<Checkpoint> checkpoints, double progress) {
        String name = progress >= 1.0 ? SaveSchedule.FINAL : SaveSchedule.name(progress);
        Optional<Checkpoint> exact = checkpoints.stream().filter(c -> c.name().equals(name)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        return checkpoints.stream().filter(c -> progressOf(c) >= progress - 1e-9).findFirst();
    }

    public static double progressOf(Checkpoint c) {
        return c.progress();
    }

    private static ProbeTarget trained(Checkpoint c, ProbeSet set, String settingsKey) {
        return new ProbeTarget(c.name(), EncoderKind.TRAINED, c.dir().toString(), progressOf(c), set.name(),
                set.role(), set.trainList().toString(), set.testList().toString(), set.numClasses(), settingsKey);
    }

    private static ProbeTarget floor(EncoderKind kind, ProbeSet set, String settingsKey) {
        return new ProbeTarget(kind == EncoderKind.RANDOM_INIT ? RANDOM_INIT : RAW_PIXELS, kind, null, null, set.name(),
                set.role(), set.trainList().toString(), set.testList().toString(), set.numClasses(), settingsKey);
    }
}
