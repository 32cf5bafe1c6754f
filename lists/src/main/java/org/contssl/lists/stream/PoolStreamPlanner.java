package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.StreamDiagnostics;
import org.contssl.lists.imports.Raster8;

/**
 * The stream kinds drawn from one image pool (Fashion-MNIST, MNIST or a folder): the pool is permuted once with a
 * seed derived from (run seed, pool), the in-distribution probe is held out from the front of that permutation, and
 * the stream's source images are what follows. Subclasses decide only the order of those images and how they become
 * stream records, so every kind of one seed shares its probes and its source images.
 */
abstract class PoolStreamPlanner implements StreamKindPlanner {

    /** The kind this planner builds from a pool (bring-your-own lists go to {@link OwnListPlanner}). */
    abstract StreamKind kind();

    @Override
    public final boolean accepts(StreamRequest req) {
        return !req.isOwnList() && req.kind() == kind();
    }

    /** Stream records per source image (a clip's frames); 1 unless the kind renders clips. */
    int clipLength(StreamRequest req) {
        return 1;
    }

    /** The clip length the plan reports, {@code null} for kinds without clips. */
    Integer planClipLength(int clip) {
        return null;
    }

    /** Puts the selected source images (given in permutation order) in stream order; the default keeps them. */
    void arrange(int[] sources) {
    }

    /** Exports the source images and writes one stream record per image; returns the stream length. */
    long writeStream(PlanContext ctx, ImagePool pool, int[] sources, int clip, Path streamPath,
                     ListMetadata.Builder meta) {
        ctx.countExported(pool.materialize(sources, ctx.req().threads()).written());
        writeFromPool(ctx, streamPath, pool, sources, meta);
        return sources.length;
    }

    @Override
    public final StreamPlan build(PlanContext ctx) {
        StreamRequest req = ctx.req();
        SourcePools.StreamPools src = ctx.pools().forStream();
        ImagePool pool = src.pool();
        int n = pool.size();
        int[] perm = Seeds.permutation(n,
                Seeds.derive(req.seed(), "split:" + pool.id() + SourcePools.catalogTag(pool)));
        ProbeSelection.HeldOut held = ctx.probes().holdOut(pool, src.testPool(), perm);
        int at = held.streamStart();
        int clip = clipLength(req);
        int m = sourceCount(ctx, pool, n - at, clip);
        if (m <= 0) {
            throw ListFormatException.ofFile(Problem.BAD_OPTION, pool.baseDir(),
                    "no images left for the stream (" + n + " images, " + at + " held out for probes)",
                    "lower the probe sizes or add images");
        }
        int[] sources = Arrays.copyOfRange(perm, at, at + m);
        arrange(sources);

        Path streamPath = ctx.streamPath();
        ListMetadata.Builder meta = ListMetadata.builder()
                .role("stream")
                .source(pool.id())
                .kind(req.kind().id())
                .seed(req.seed())
                .numClasses(pool.numClasses())
                .classNames(pool.classNames());
        long streamLength = writeStream(ctx, pool, sources, clip, streamPath, meta);

        Map<String, ProbeSet> probes = new LinkedHashMap<>();
        ctx.probes().addInDistribution(probes, src.family(), pool, src.testPool(), held);
        ctx.probes().addOutOfDistribution(probes, src.family());
        return ctx.plan(streamPath, streamLength, pool.id(), planClipLength(clip), null, probes, List.of(), List.of());
    }

    /** How many source images the stream takes: whole clips of the requested size, at most what is left. */
    private static int sourceCount(PlanContext ctx, ImagePool pool, int available, int clip) {
        int size = ctx.req().streamSize();
        if (size <= 0) {
            return available;
        }
        int m = size / clip;
        if (size % clip != 0) {
            ctx.note("stream size " + size + " rounded down to " + (long) m * clip + " (whole clips of " + clip
                    + " frames)");
        }
        if (m > available) {
            ctx.note("stream capped to " + (long) available * clip + " images: only " + available + " images of "
                    + pool.id() + " are left after the held-out probes");
            m = available;
        }
        return m;
    }

    /** Writes a labelled list over pool images, with label and (for in-memory pools) pixel-change diagnostics. */
    static void writeFromPool(PlanContext ctx, Path listPath, ImagePool pool, int[] idx, ListMetadata.Builder meta) {
        int[] labels = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            labels[k] = pool.label(idx[k]);
        }
        StreamDiagnostics diag = StreamDiagnostics.ofLabels(labels, pool.numClasses());
        if (pool.pixelsInMemory()) {
            PixelDiffs d = new PixelDiffs();
            Raster8 prev = null;
            for (int i : idx) {
                Raster8 img = pool.pixels(i);
                if (prev != null) {
                    d.add(prev, img);
                }
                prev = img;
            }
            diag = diag.withPixelDiffs(d.mean(), d.pairsOrNull(), null, null);
        }
        try (MemmapListWriter w = MemmapListWriter.create(listPath, ctx.req().recordWidth(), pool.baseDir(), true)) {
            for (int k = 0; k < idx.length; k++) {
                w.add(pool.relPath(idx[k]), labels[k]);
            }
            w.commit(meta.diagnostics(diag).notes(ctx.notes()));
        }
    }
}
