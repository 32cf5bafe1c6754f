package org.contssl.steps.probe.sets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.steps.config.LinclsConfig;
import org.contssl.steps.config.RunConfig;

/**
 * Probe sets from the user's own data ({@code lincls.<name>.train_filelist}/{@code val_filelist}, docs/your-own-data.md):
 * checked in full before any job starts ({@link #validate}), turned into labelled memmap lists by the lists job
 * ({@link #materialize}), and merged with the stream plan's built-in probes ({@link #effective}): a user
 * {@code imnet} set takes the place of the built-in in-distribution probe, a user {@code inat} set that of the
 * out-of-distribution one, any other set is added. Without user lists the built-in probes are exactly as before.
 */
public final class UserProbeSets {

    /** The user sets the lists job wrote, next to the stream plan. */
    public static final String FILE = "user-probes.json";
    private static final String PREFIX = "user-probe-";

    /** A probe set of the probe step, and which {@code lincls.<key>} settings it uses. */
    public record Planned(ProbeSet set, String settingsKey, boolean user) {
    }

    /** One configured set with lists, its paths made absolute. */
    record Source(String name, String role, Path train, Path val, Path baseDir, int numClasses, String keyPrefix) {
        String key(String leaf) {
            return keyPrefix + leaf;
        }
    }

    /** What checking one set found. */
    record Checked(LabelledListReader.Summary train, LabelledListReader.Summary val, int numClasses,
                           List<String> classNames) {
    }

    private UserProbeSets() {
    }

    /** Reads every user list and checks labels, class counts and paths; writes nothing. */
    public static void validate(RunConfig config) {
        for (Source s : sources(config)) {
            check(s);
        }
        DomainsFile.validate(config);
    }

    /** Writes each user set's train/val lists (absolute paths + labels) and {@link #FILE}; returns the sets. */
    public static List<ProbeSet> materialize(RunConfig config, Path listsDir) {
        List<ProbeSet> out = new ArrayList<>();
        for (Source s : sources(config)) {
            out.add(materialize(s, listsDir, PREFIX));
        }
        ProbeSetFiles.write(listsDir.resolve(FILE), out);
        return out;
    }

    /** The user sets a lists job wrote to {@code listsDir}, empty when there are none. */
    public static List<ProbeSet> read(Path listsDir) {
        return ProbeSetFiles.read(listsDir.resolve(FILE));
    }

    /**
     * The probe step's sets in order: the plan's built-in sets (minus those a user {@code imnet}/{@code inat} set
     * replaces; per-domain probes always stay), then the user sets.
     */
    public static List<Planned> effective(StreamPlan plan, Path listsDir) {
        List<ProbeSet> user = read(listsDir);
        Map<String, ProbeSet> byName = new LinkedHashMap<>();
        user.forEach(u -> byName.put(u.name(), u));
        List<Planned> out = new ArrayList<>();
        for (ProbeSet set : plan.probes().values()) {
            boolean ood = ProbeSet.OUT_OF_DISTRIBUTION.equals(set.role());
            String slot = ood ? LinclsConfig.INAT : LinclsConfig.IMNET;
            boolean domain = plan.domainProbes().stream().anyMatch(d -> d.name().equals(set.name()));
            if (byName.containsKey(set.name()) || (!domain && byName.containsKey(slot))) {
                continue;
            }
            out.add(new Planned(set, slot, false));
        }
        user.forEach(u -> out.add(new Planned(u, u.name(), true)));
        return out;
    }

    /** Checks one set's lists and writes them as {@code <prefix><name>-train/val.memmap} in {@code listsDir}. */
    static ProbeSet materialize(Source s, Path listsDir, String prefix) {
        Checked c = check(s);
        Path trainList = listsDir.resolve(prefix + s.name() + "-train.memmap");
        Path valList = listsDir.resolve(prefix + s.name() + "-val.memmap");
        int width = Math.max(MemmapList.DEFAULT_RECORD_WIDTH, Math.max(c.train().maxPathBytes(),
                c.val().maxPathBytes()));
        write(trainList, width, s, c, s.train(), null, "probe-train");
        write(valList, width, s, c, s.val(), classIds(c.classNames()), "probe-test");
        return new ProbeSet(s.name(), s.role(), trainList, valList, c.numClasses(), c.classNames(),
                c.train().count(), c.val().count());
    }

    private static List<Source> sources(RunConfig config) {
        List<Source> out = new ArrayList<>();
        for (var e : config.lincls().sets().entrySet()) {
            LinclsConfig.ProbeSetConfig c = e.getValue();
            if (!c.userLists()) {
                continue;
            }
            Path base = c.baseDir().isBlank() ? null : Path.of(c.baseDir()).toAbsolutePath().normalize();
            out.add(new Source(e.getKey(), c.role(), Path.of(c.trainFilelist()).toAbsolutePath().normalize(),
                    Path.of(c.valFilelist()).toAbsolutePath().normalize(), base, c.numClasses(),
                    "lincls." + e.getKey() + "."));
        }
        return out;
    }

    static Checked check(Source s) {
        if (s.baseDir() != null && !Files.isDirectory(s.baseDir())) {
            throw new ProbeInputException(s.baseDir(), -1, "is not a directory (" + s.key("base_dir") + ")",
                    "point it at the directory the lists' paths are relative to");
        }
        LabelledListReader.Summary train = new LabelledListReader(s.key("train_filelist"), s.numClasses())
                .read(s.train(), s.baseDir(), null, (image, label) -> { });
        int classes = !train.classNames().isEmpty() ? train.classNames().size() : train.maxLabel() + 1;
        if (s.numClasses() > 0 && classes != s.numClasses()) {
            String what = !train.classNames().isEmpty()
                    ? "has " + classes + " class folders but " + s.key("num_classes") + "=" + s.numClasses()
                    : "the largest label is " + train.maxLabel() + " (" + classes + " classes) but "
                    + s.key("num_classes") + "=" + s.numClasses();
            throw new ProbeInputException(train.classNames().isEmpty() ? train.maxLabelFile() : s.train(),
                    train.classNames().isEmpty() ? train.maxLabelLine() : -1, what,
                    "set " + s.key("num_classes") + "=" + classes + " or fix the labels");
        }
        int numClasses = s.numClasses() > 0 ? s.numClasses() : classes;
        if (numClasses < 2) {
            throw new ProbeInputException(s.train(), -1, "has a single class (" + s.key("train_filelist") + ")",
                    "a probe needs at least two classes");
        }
        List<String> names = train.classNames().isEmpty() ? null : train.classNames();
        LabelledListReader.Summary val = new LabelledListReader(s.key("val_filelist"), numClasses)
                .read(s.val(), s.baseDir(), classIds(names), (image, label) -> { });
        return new Checked(train, val, numClasses, names);
    }

    /** A train tree's class name -> id, so the val tree's folders get the same ids; null for text lists. */
    private static Map<String, Integer> classIds(List<String> classNames) {
        if (classNames == null) {
            return null;
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            ids.put(classNames.get(i), i);
        }
        return ids;
    }

    private static void write(Path list, int width, Source s, Checked c, Path from, Map<String, Integer> ids,
                              String listRole) {
        try (MemmapListWriter w = MemmapListWriter.create(list, width, Path.of("/"), true)) {
            new LabelledListReader("lincls." + s.name(), c.numClasses())
                    .read(from, s.baseDir(), ids, (image, label) -> w.add(image.toString(), label));
            w.commit(ListMetadata.builder()
                    .role(listRole)
                    .source(from.toString())
                    .kind("probe:" + s.name() + " (" + s.role() + ")")
                    .numClasses(c.numClasses())
                    .classNames(c.classNames()));
        }
    }
}
