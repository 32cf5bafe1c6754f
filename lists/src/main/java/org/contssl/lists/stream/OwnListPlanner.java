package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.Sidecars;
import org.contssl.lists.StreamDiagnostics;

/**
 * A bring-your-own memmap list ({@code data.train_filelist}, the reference's 120-byte record format; see
 * {@code docs/reference-system.md}, list formats). {@link StreamKind#ORDERED} uses the list in place through a
 * sidecar describing it; {@link StreamKind#IID} writes a seeded shuffle of its records. Every record is checked
 * before anything is written. No in-distribution probe: only the out-of-distribution Fashion-MNIST probe, if asked.
 */
final class OwnListPlanner implements StreamKindPlanner {

    /** The out-of-distribution choice treats a list like any source other than Fashion-MNIST. */
    private static final String FAMILY = "list";

    @Override
    public boolean accepts(StreamRequest req) {
        return req.isOwnList() && req.listType() == ListType.MEMMAP;
    }

    @Override
    public StreamPlan build(PlanContext ctx) {
        StreamRequest req = ctx.req();
        Path src = req.trainFilelist();
        MemmapList list = MemmapList.open(src, req.ownListOptions());
        if (list.size() == 0) {
            throw ListFormatException.ofFile(Problem.BAD_OPTION, list.dataFile(), "the list is empty",
                    "give a list with at least one record");
        }
        // Validate every record now: a bad record found after hours of training is far more expensive.
        for (long i = 0; i < list.size(); i++) {
            list.checkRecord(i);
        }
        String source = "list:" + list.dataFile();
        Path streamPath = req.kind() == StreamKind.ORDERED
                ? describeInPlace(ctx, list, source)
                : writeShuffled(ctx, list, source);
        Map<String, ProbeSet> probes = new LinkedHashMap<>();
        ctx.probes().addOutOfDistribution(probes, FAMILY);
        return ctx.plan(streamPath, list.size(), source, null, null, probes, List.of(), List.of());
    }

    /** The ordered stream is the list itself: only a sidecar is written, and a stale shuffled copy is removed. */
    private static Path describeInPlace(PlanContext ctx, MemmapList list, String source) {
        StreamRequest req = ctx.req();
        ListMetadata m = list.metadata();
        Integer numClasses = list.hasLabels() ? m.numClasses() : null;
        Path streamPath = req.listsDir().resolve(StreamPlanner.STREAM_LIST + Sidecars.SUFFIX);
        AtomicFiles.deleteQuietly(req.listsDir().resolve(StreamPlanner.STREAM_LIST));
        AtomicFiles.deleteQuietly(MemmapListWriter.labelsPathOf(req.listsDir().resolve(StreamPlanner.STREAM_LIST)));
        StreamDiagnostics diag = numClasses != null ? labelDiagnostics(list, numClasses) : null;
        MemmapListWriter.describe(streamPath, list, ListMetadata.builder()
                .role("stream")
                .source(source)
                .kind(StreamKind.ORDERED.id())
                .seed(req.seed())
                .numClasses(numClasses)
                .classNames(list.hasLabels() ? m.classNames() : null)
                .diagnostics(diag)
                .notes(ctx.notes()));
        return streamPath;
    }

    /** The i.i.d. stream: the list's records (and labels) in a seeded permutation, as a new list. */
    private static Path writeShuffled(PlanContext ctx, MemmapList list, String source) {
        StreamRequest req = ctx.req();
        ListMetadata m = list.metadata();
        Integer numClasses = list.hasLabels() ? m.numClasses() : null;
        long n = list.size();
        if (n > Integer.MAX_VALUE - 8) {
            throw ListFormatException.ofFile(Problem.BAD_OPTION, list.dataFile(), "cannot shuffle a list of "
                    + n + " records in memory", "use data.stream=ordered, or split the list");
        }
        int[] perm = Seeds.permutation((int) n, Seeds.derive(req.seed(), "shuffle:" + source));
        Path streamPath = ctx.streamPath();
        int[] labels = list.hasLabels() ? new int[(int) n] : null;
        try (MemmapListWriter w = MemmapListWriter.create(streamPath, list.recordWidth(), list.baseDir(),
                list.hasLabels())) {
            for (int k = 0; k < n; k++) {
                String rec = list.recordAt(perm[k]);
                if (labels != null) {
                    labels[k] = list.labelAt(perm[k]);
                    w.add(rec, labels[k]);
                } else {
                    w.add(rec);
                }
            }
            w.commit(ListMetadata.builder()
                    .role("stream")
                    .source(source)
                    .kind(StreamKind.IID.id())
                    .seed(req.seed())
                    .pathRewrite(list.rewrite().id())
                    .numClasses(numClasses)
                    .classNames(list.hasLabels() ? m.classNames() : null)
                    .diagnostics(labels != null && numClasses != null
                            ? StreamDiagnostics.ofLabels(labels, numClasses) : null)
                    .notes(ctx.notes()));
        }
        return streamPath;
    }

    private static StreamDiagnostics labelDiagnostics(MemmapList list, int numClasses) {
        if (list.size() > Integer.MAX_VALUE - 8) {
            return null;
        }
        int[] labels = new int[(int) list.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = list.labelAt(i);
        }
        return StreamDiagnostics.ofLabels(labels, numClasses);
    }
}
