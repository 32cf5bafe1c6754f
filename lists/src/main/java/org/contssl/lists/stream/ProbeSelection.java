package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.imports.FashionMnist;

/**
 * Chooses and writes the labelled probe sets. In-distribution probe images are held out from the front of the
 * stream pool's seeded permutation, so they never depend on the stream's kind or size; the out-of-distribution probe
 * is the other grey dataset (MNIST for a Fashion-MNIST stream, Fashion-MNIST otherwise), drawn with its own seed.
 * The probe roles mirror the reference's linear probe (see {@code docs/reference-system.md}, linear probe).
 */
final class ProbeSelection {

    /**
     * The in-distribution probe images held out of a stream pool.
     *
     * @param train       probe-train indices into the pool, sorted; {@code null} when there is no probe
     * @param test        probe-test indices (into the test pool when there is one), sorted
     * @param streamStart where the stream's images start in the pool's permutation
     */
    record HeldOut(int[] train, int[] test, int streamStart) {
    }

    private final PlanContext ctx;

    ProbeSelection(PlanContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Takes the in-distribution probe from the front of {@code perm}: with a separate test split only the train part
     * (test images come from {@code testPool}); otherwise test then train, at most 10 % and 20 % of the pool.
     */
    HeldOut holdOut(ImagePool pool, ImagePool testPool, int[] perm) {
        StreamRequest req = ctx.req();
        int n = pool.size();
        if (testPool != null) {
            int pTr = Math.min(req.probeTrainSize(), n - 1);
            return new HeldOut(sorted(perm, 0, pTr), pickTest(testPool, req.probeTestSize()), pTr);
        }
        if (pool.numClasses() >= 2) {
            int pTe = Math.min(req.probeTestSize(), n / 10);
            int pTr = Math.min(req.probeTrainSize(), n / 5);
            if (pTe < req.probeTestSize() || pTr < req.probeTrainSize()) {
                ctx.note("probe sizes capped to " + pTr + " train / " + pTe + " test images (at most 20 % / 10 % of "
                        + n + " images are held out of the stream)");
            }
            return new HeldOut(sorted(perm, pTe, pTe + pTr), sorted(perm, 0, pTe), pTe + pTr);
        }
        ctx.note("no in-distribution probe: " + pool.id() + " has a single class");
        return new HeldOut(null, null, 0);
    }

    /** Writes the held-out probe as {@code family} into {@code probes}, unless it is empty (then says so). */
    void addInDistribution(Map<String, ProbeSet> probes, String family, ImagePool pool, ImagePool testPool,
                           HeldOut held) {
        if (held.train() == null) {
            return;
        }
        if (held.train().length == 0 || held.test().length == 0) {
            ctx.note("no in-distribution probe: its train or test size is 0");
            return;
        }
        ImagePool tp = testPool != null ? testPool : pool;
        probes.put(family, probe(family, ProbeSet.IN_DISTRIBUTION, pool, held.train(), tp, held.test(), 0,
                pool.numClasses(), pool.classNames()));
    }

    /** Adds the out-of-distribution probe when requested: MNIST after a Fashion-MNIST stream, else Fashion-MNIST. */
    void addOutOfDistribution(Map<String, ProbeSet> probes, String streamFamily) {
        StreamRequest req = ctx.req();
        if (req.oodProbe() && req.oodProbeTrainSize() > 0 && req.oodProbeTestSize() > 0) {
            ProbeSet ood = streamFamily.equals(SourcePools.FASHION_MNIST) ? mnistProbe() : fashionMnistProbe();
            probes.put(ood.name(), ood);
        }
    }

    private ProbeSet mnistProbe() {
        StreamRequest req = ctx.req();
        GrayPool p = ctx.pools().mnist();
        int n = p.size();
        int pTe = Math.min(req.oodProbeTestSize(), n / 2);
        int pTr = Math.min(req.oodProbeTrainSize(), n - pTe);
        int[] perm = Seeds.permutation(n, Seeds.derive(req.seed(), "split:" + p.id()));
        return probe(SourcePools.MNIST, ProbeSet.OUT_OF_DISTRIBUTION, p, sorted(perm, pTe, pTe + pTr), p,
                sorted(perm, 0, pTe), 0, p.numClasses(), p.classNames());
    }

    private ProbeSet fashionMnistProbe() {
        StreamRequest req = ctx.req();
        GrayPool train = ctx.pools().fashionMnist(FashionMnist.TRAIN);
        GrayPool test = ctx.pools().fashionMnist(FashionMnist.TEST);
        int[] perm = Seeds.permutation(train.size(), Seeds.derive(req.seed(), "split:" + train.id()));
        int pTr = Math.min(req.oodProbeTrainSize(), train.size());
        return probe(SourcePools.FASHION_MNIST, ProbeSet.OUT_OF_DISTRIBUTION, train, sorted(perm, 0, pTr), test,
                pickTest(test, req.oodProbeTestSize()), 0, train.numClasses(), train.classNames());
    }

    /** {@code size} test images of a separate test split: all of them, or a seeded sample in index order. */
    private int[] pickTest(ImagePool testPool, int size) {
        int nt = testPool.size();
        if (size >= nt) {
            int[] all = new int[nt];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] p = Seeds.permutation(nt, Seeds.derive(ctx.req().seed(), "split:" + testPool.id()));
        return sorted(p, 0, size);
    }

    /** Exports and writes a probe's two lists; labels are shifted by {@code -labelLo} (domain-local ids). */
    ProbeSet probe(String name, String role, ImagePool trainPool, int[] train, ImagePool testPool, int[] test,
                   int labelLo, int numClasses, List<String> classNames) {
        StreamRequest req = ctx.req();
        ctx.countExported(trainPool.materialize(train, req.threads()).written());
        ctx.countExported(testPool.materialize(test, req.threads()).written());
        Path trainList = req.listsDir().resolve("probe-" + name + "-train.memmap");
        Path testList = req.listsDir().resolve("probe-" + name + "-test.memmap");
        writeList(trainList, trainPool, train, labelLo, numClasses, classNames, name, role, "probe-train");
        writeList(testList, testPool, test, labelLo, numClasses, classNames, name, role, "probe-test");
        return new ProbeSet(name, role, trainList, testList, numClasses, classNames, train.length, test.length);
    }

    private void writeList(Path listPath, ImagePool pool, int[] idx, int labelLo, int numClasses,
                           List<String> classNames, String name, String role, String listRole) {
        StreamRequest req = ctx.req();
        try (MemmapListWriter w = MemmapListWriter.create(listPath, req.recordWidth(), pool.baseDir(), true)) {
            for (int i : idx) {
                w.add(pool.relPath(i), pool.label(i) - labelLo);
            }
            w.commit(ListMetadata.builder()
                    .role(listRole)
                    .source(pool.id())
                    .kind("probe:" + name + " (" + role + ")")
                    .seed(req.seed())
                    .numClasses(numClasses)
                    .classNames(classNames));
        }
    }

    /** {@code a[from, to)} sorted, as a new array (empty when {@code to <= from}). */
    static int[] sorted(int[] a, int from, int to) {
        int[] out = Arrays.copyOfRange(a, from, Math.max(from, to));
        Arrays.sort(out);
        return out;
    }
}
