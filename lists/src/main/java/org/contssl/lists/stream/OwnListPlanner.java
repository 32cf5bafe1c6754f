package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.FeistelPermutation;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.ListScan;
import org.contssl.lists.ListShuffle;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.Sidecars;
import org.contssl.lists.StreamDiagnostics;

/**
 * A bring-your-own memmap list ({@code data.train_filelist}, the reference's 120-byte record format; see
 * {@code docs/reference-system.md}, list formats). {@link StreamKind#ORDERED} uses the list in place through a
 * sidecar describing it; {@link StreamKind#IID} writes a seeded shuffle of its records. Every record is checked
 * before anything is committed. Both read the list block-wise and never hold anything proportional to its length, so
 * lists of any size (the reference's Flickr subsets reach 500M records, 60 GB) run in bounded memory; see
 * {@code docs/large-lists.md}. No in-distribution probe: only the out-of-distribution Fashion-MNIST probe, if asked.
 */
final class OwnListPlanner implements StreamKindPlanner {

    /** The out-of-distribution choice treats a list like any source other than Fashion-MNIST. */
    private static final String FAMILY = "list";

    /** The shuffle's scratch file, next to the stream list (as large as the list; deleted when done). */
    static final String SCRATCH_SUFFIX = ".shuffle-scratch";

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
        String source = "list:" + list.dataFile();
        Path streamPath = req.kind() == StreamKind.ORDERED
                ? describeInPlace(ctx, list, source)
                : writeShuffled(ctx, list, source);
        Map<String, ProbeSet> probes = new LinkedHashMap<>();
        ctx.probes().addOutOfDistribution(probes, FAMILY);
        return ctx.plan(streamPath, list.size(), source, null, null, probes, List.of(), List.of());
    }

    /**
     * The ordered stream is the list itself: only a sidecar is written, and a stale shuffled copy is removed. Every
     * record is validated first, in the same block-wise pass that counts the labels.
     */
    private static Path describeInPlace(PlanContext ctx, MemmapList list, String source) {
        StreamRequest req = ctx.req();
        ListMetadata m = list.metadata();
        Integer numClasses = list.hasLabels() ? m.numClasses() : null;
        StreamDiagnostics.QuarterCounts counts = numClasses != null
                ? new StreamDiagnostics.QuarterCounts(list.size(), numClasses) : null;
        // A bad record found now costs seconds; found after hours of training it costs the run.
        try (ListScan scan = ListScan.of(list)) {
            while (scan.next()) {
                scan.checkedPath();
                if (counts != null) {
                    counts.add(scan.index(), scan.label());
                }
            }
        }
        Path streamPath = req.listsDir().resolve(StreamPlanner.STREAM_LIST + Sidecars.SUFFIX);
        AtomicFiles.deleteQuietly(req.listsDir().resolve(StreamPlanner.STREAM_LIST));
        AtomicFiles.deleteQuietly(MemmapListWriter.labelsPathOf(req.listsDir().resolve(StreamPlanner.STREAM_LIST)));
        MemmapListWriter.describe(streamPath, list, ListMetadata.builder()
                .role("stream")
                .source(source)
                .kind(StreamKind.ORDERED.id())
                .seed(req.seed())
                .numClasses(numClasses)
                .classNames(list.hasLabels() ? m.classNames() : null)
                .diagnostics(counts != null ? counts.result() : null)
                .notes(ctx.notes()));
        return streamPath;
    }

    /**
     * The i.i.d. stream: the list's records (and labels) in a seeded {@link FeistelPermutation}, written as a new
     * list by {@link ListShuffle} in memory independent of the list's length. Every record is validated while it is
     * scattered, before the result is committed.
     */
    private static Path writeShuffled(PlanContext ctx, MemmapList list, String source) {
        StreamRequest req = ctx.req();
        ListMetadata m = list.metadata();
        Integer numClasses = list.hasLabels() ? m.numClasses() : null;
        FeistelPermutation sigma = new FeistelPermutation(list.size(), Seeds.derive(req.seed(), "shuffle:" + source));
        StreamDiagnostics.QuarterCounts counts = numClasses != null
                ? new StreamDiagnostics.QuarterCounts(list.size(), numClasses) : null;
        Path streamPath = ctx.streamPath();
        Path scratch = streamPath.resolveSibling(streamPath.getFileName() + SCRATCH_SUFFIX);
        try (MemmapListWriter w = MemmapListWriter.create(streamPath, list.recordWidth(), list.baseDir(),
                list.hasLabels())) {
            ListShuffle.write(list, sigma, w, counts, scratch);
            w.commit(ListMetadata.builder()
                    .role("stream")
                    .source(source)
                    .kind(StreamKind.IID.id())
                    .seed(req.seed())
                    .pathRewrite(list.rewrite().id())
                    .numClasses(numClasses)
                    .classNames(list.hasLabels() ? m.classNames() : null)
                    .diagnostics(counts != null ? counts.result() : null)
                    .notes(ctx.notes()));
        }
        return streamPath;
    }
}
