package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.ListMetadata.DomainSpan;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.StreamDiagnostics;
import org.contssl.lists.imports.FashionMnist;
import org.contssl.lists.imports.MnistNpm;
import org.contssl.lists.imports.Raster8;

/**
 * {@link StreamKind#DOMAINS}: four class-incremental domains of equal size, played in the requested order (the
 * reference's ImageNet-21K domain stream; see {@code docs/reference-system.md} and {@code docs/data.md} for how its
 * D0..D3 map onto Fashion-MNIST and MNIST here). D0/D1 are Fashion-MNIST classes 0-4 / 5-9, D2/D3 MNIST digits 0-4 /
 * 5-9 with labels shifted by 10, so the stream has 20 classes. Each domain holds out its own probe, labelled with
 * domain-local class ids.
 */
final class DomainsPlanner implements StreamKindPlanner {

    private static final int DOMAINS = 4;
    private static final String SOURCE = "fashion-mnist+mnist";

    /** One class-incremental domain: a class range of one dataset, with held-out probe images. */
    private record Domain(int id, String description, GrayPool pool, GrayPool testPool, int lo, int hi,
                          int labelOffset) {
        String name() {
            return "D" + id;
        }
    }

    @Override
    public boolean accepts(StreamRequest req) {
        return !req.isOwnList() && req.kind() == StreamKind.DOMAINS;
    }

    @Override
    public StreamPlan build(PlanContext ctx) {
        StreamRequest req = ctx.req();
        GrayPool ftr = ctx.pools().fashionMnist(FashionMnist.TRAIN);
        GrayPool fte = ctx.pools().fashionMnist(FashionMnist.TEST);
        GrayPool mn = ctx.pools().mnist();
        List<Domain> defs = List.of(
                new Domain(0, "Fashion-MNIST classes 0-4", ftr, fte, 0, 4, 0),
                new Domain(1, "Fashion-MNIST classes 5-9", ftr, fte, 5, 9, 0),
                new Domain(2, "MNIST digits 0-4", mn, null, 0, 4, 10),
                new Domain(3, "MNIST digits 5-9", mn, null, 5, 9, 10));
        int[][] cand = new int[DOMAINS][];
        List<ProbeSet> domainProbes = new ArrayList<>();
        for (Domain d : defs) {
            cand[d.id()] = holdOutProbe(ctx, d, domainProbes);
        }
        int smallest = Arrays.stream(cand).mapToInt(a -> a.length).min().orElse(0);
        int perDomain = req.streamSize() <= 0 ? smallest : req.streamSize() / DOMAINS;
        if (req.streamSize() > 0 && req.streamSize() % DOMAINS != 0) {
            ctx.note("stream size " + req.streamSize() + " rounded down to " + 4L * perDomain
                    + " (4 equal domains)");
        }
        if (perDomain > smallest) {
            ctx.note("each domain capped to " + smallest + " images (stream " + 4L * smallest + "): the smallest "
                    + "domain has no more after its held-out probe images");
            perDomain = smallest;
        }

        String order = req.domainOrder();
        List<String> classNames = new ArrayList<>(FashionMnist.CLASS_NAMES);
        for (String d : MnistNpm.CLASS_NAMES) {
            classNames.add("digit " + d);
        }
        int total = DOMAINS * perDomain;
        int[] labels = new int[total];
        String[] paths = new String[total];
        List<DomainSpan> spans = new ArrayList<>();
        List<int[]> exportFm = new ArrayList<>();
        List<int[]> exportMn = new ArrayList<>();
        PixelDiffs consecutive = new PixelDiffs();
        Raster8 prev = null;
        int pos = 0;
        for (int k = 0; k < DOMAINS; k++) {
            Domain d = defs.get(order.charAt(k) - '0');
            int[] chosen = Arrays.copyOf(cand[d.id()], perDomain);
            (d.pool() == ftr ? exportFm : exportMn).add(chosen);
            spans.add(new DomainSpan(d.name(), pos, pos + perDomain, d.description()));
            for (int i : chosen) {
                labels[pos] = d.pool().label(i) + d.labelOffset();
                paths[pos] = d.pool().relPath(i);
                Raster8 img = d.pool().pixels(i);
                if (prev != null) {
                    consecutive.add(prev, img);
                }
                prev = img;
                pos++;
            }
        }
        ctx.countExported(ftr.materialize(concat(exportFm), req.threads()).written());
        ctx.countExported(mn.materialize(concat(exportMn), req.threads()).written());

        StreamDiagnostics diag = StreamDiagnostics.ofLabels(labels, classNames.size())
                .withPixelDiffs(consecutive.mean(), consecutive.pairsOrNull(), null, null);
        Path streamPath = ctx.streamPath();
        try (MemmapListWriter w = MemmapListWriter.create(streamPath, req.recordWidth(), req.dataDir(), true)) {
            for (int i = 0; i < total; i++) {
                w.add(paths[i], labels[i]);
            }
            w.commit(ListMetadata.builder()
                    .role("stream")
                    .source(SOURCE)
                    .kind(StreamKind.DOMAINS.id())
                    .seed(req.seed())
                    .domainOrder(order)
                    .domains(spans)
                    .numClasses(classNames.size())
                    .classNames(classNames)
                    .diagnostics(diag)
                    .notes(ctx.notes()));
        }
        Map<String, ProbeSet> probes = new LinkedHashMap<>();
        for (ProbeSet p : domainProbes) {
            probes.put(p.name(), p);
        }
        return ctx.plan(streamPath, total, SOURCE, null, order, probes, domainProbes, spans);
    }

    /**
     * Writes domain {@code d}'s probe (from its own seeded shuffle of the domain's images; test images from the
     * dataset's test split when it has one) and returns the domain's remaining images, the stream candidates.
     */
    private static int[] holdOutProbe(PlanContext ctx, Domain d, List<ProbeSet> domainProbes) {
        StreamRequest req = ctx.req();
        int[] members = members(d.pool(), d.lo(), d.hi());
        Seeds.shuffle(members, Seeds.derive(req.seed(), "domain-split:" + d.name()));
        int pTr = Math.min(req.domainProbeTrainSize(), members.length / 4);
        int[] probeTrain;
        int[] probeTest;
        int at;
        if (d.testPool() != null) {
            int[] testMembers = members(d.testPool(), d.lo(), d.hi());
            Seeds.shuffle(testMembers, Seeds.derive(req.seed(), "domain-test:" + d.name()));
            probeTest = ProbeSelection.sorted(testMembers, 0, Math.min(req.domainProbeTestSize(), testMembers.length));
            probeTrain = ProbeSelection.sorted(members, 0, pTr);
            at = pTr;
        } else {
            int pTe = Math.min(req.domainProbeTestSize(), members.length / 4);
            probeTest = ProbeSelection.sorted(members, 0, pTe);
            probeTrain = ProbeSelection.sorted(members, pTe, pTe + pTr);
            at = pTe + pTr;
        }
        List<String> names = d.pool().classNames().subList(d.lo(), d.hi() + 1);
        GrayPool tp = d.testPool() != null ? d.testPool() : d.pool();
        domainProbes.add(ctx.probes().probe(d.name(), ProbeSet.IN_DISTRIBUTION, d.pool(), probeTrain, tp, probeTest,
                d.lo(), d.hi() - d.lo() + 1, names));
        return Arrays.copyOfRange(members, at, members.length);
    }

    /** Indices of the pool's images whose label is in {@code [lo, hi]}, ascending. */
    private static int[] members(ImagePool pool, int lo, int hi) {
        int n = 0;
        for (int i = 0; i < pool.size(); i++) {
            int l = pool.label(i);
            if (l >= lo && l <= hi) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < pool.size(); i++) {
            int l = pool.label(i);
            if (l >= lo && l <= hi) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static int[] concat(List<int[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        int[] out = new int[n];
        int k = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }
}
