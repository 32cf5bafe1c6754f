package org.contssl.steps.probe.sets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.ListMetadata.DomainSpan;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.stream.StreamPlan;

/**
 * The headline probe of a domains stream: at each progress point, one probe over the union of the domains seen so
 * far (docs/reference-system.md §9.3), not over the first domain alone. The lists job writes one union per prefix of
 * the stream's domains ({@code seen-1} = the first domain, ..., {@code seen-n} = all), each domain's classes after
 * the previous domains' ones; the probe step picks the union for each progress point ({@link #seenAt}). All share
 * the dataset name {@link #NAME}, so the report shows them as one curve.
 */
public final class SeenDomains {

    /** Dataset name of every union probe. */
    public static final String NAME = "seen-domains";
    static final String FILE = "seen-domains.json";

    private SeenDomains() {
    }

    /** Writes the unions of a plan with domain probes (nothing otherwise); returns them, shortest first. */
    public static List<ProbeSet> write(StreamPlan plan, Path listsDir) {
        if (plan.domainProbes().isEmpty() || plan.domains().isEmpty()) {
            return List.of();
        }
        List<ProbeSet> inStreamOrder = new ArrayList<>();
        for (DomainSpan span : plan.domains()) {
            plan.domainProbes().stream().filter(p -> p.name().equals(span.name())).findFirst()
                    .ifPresent(inStreamOrder::add);
        }
        List<ProbeSet> out = new ArrayList<>();
        for (int k = 1; k <= inStreamOrder.size(); k++) {
            List<ProbeSet> parts = inStreamOrder.subList(0, k);
            List<String> names = new ArrayList<>();
            int classes = 0;
            for (ProbeSet p : parts) {
                for (int c = 0; c < p.numClasses(); c++) {
                    names.add(p.name() + ":" + (p.classNames() != null && c < p.classNames().size()
                            ? p.classNames().get(c) : String.valueOf(c)));
                }
                classes += p.numClasses();
            }
            Path train = listsDir.resolve("seen-" + k + "-train.memmap");
            Path test = listsDir.resolve("seen-" + k + "-test.memmap");
            long nTrain = union(parts, train, false, classes, names);
            long nTest = union(parts, test, true, classes, names);
            out.add(new ProbeSet(NAME, ProbeSet.IN_DISTRIBUTION, train, test, classes, names, nTrain, nTest));
        }
        ProbeSetFiles.write(listsDir.resolve(FILE), out);
        return out;
    }

    /** The unions the lists job wrote, shortest first; empty for a stream without domains. */
    public static List<ProbeSet> read(Path listsDir) {
        return ProbeSetFiles.read(listsDir.resolve(FILE));
    }

    /**
     * How many domains the stream has reached at {@code progress} (a fraction of the stream): those starting before
     * that position, at least one. At 25 % of four equal domains that is the first alone.
     */
    public static int seenAt(StreamPlan plan, double progress) {
        double position = progress * plan.streamLength();
        int seen = (int) plan.domains().stream().filter(d -> d.start() < position - 1e-9).count();
        return Math.max(1, seen);
    }

    /** Concatenates the parts' train (or test) lists with absolute paths, labels shifted past earlier domains. */
    private static long union(List<ProbeSet> parts, Path out, boolean test, int classes, List<String> names) {
        int width = MemmapList.DEFAULT_RECORD_WIDTH;
        for (ProbeSet p : parts) {
            try (MemmapList l = MemmapList.open(test ? p.testList() : p.trainList())) {
                for (long i = 0; i < l.size(); i++) {
                    width = Math.max(width, l.resolve(i).toString().getBytes(StandardCharsets.UTF_8).length);
                }
            }
        }
        long n = 0;
        try (MemmapListWriter w = MemmapListWriter.create(out, width, Path.of("/"), true)) {
            int offset = 0;
            for (ProbeSet p : parts) {
                try (MemmapList l = MemmapList.open(test ? p.testList() : p.trainList())) {
                    for (long i = 0; i < l.size(); i++) {
                        w.add(l.resolve(i).toString(), l.labelAt(i) + offset);
                        n++;
                    }
                }
                offset += p.numClasses();
            }
            w.commit(ListMetadata.builder()
                    .role(test ? "probe-test" : "probe-train")
                    .source("union of " + parts.stream().map(ProbeSet::name).toList())
                    .kind("probe:" + NAME)
                    .numClasses(classes)
                    .classNames(names));
        }
        return n;
    }
}
