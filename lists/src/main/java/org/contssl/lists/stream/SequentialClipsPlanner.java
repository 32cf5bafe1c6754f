package org.contssl.lists.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.Parallel;
import org.contssl.lists.StreamDiagnostics;
import org.contssl.lists.imports.PngEncoder;
import org.contssl.lists.imports.Raster8;

/**
 * {@link StreamKind#SEQUENTIAL}: pseudo-video clips standing in for the reference's Kinetics frames. Each source
 * image of the i.i.d. stream becomes a clip of L rendered frames (frame 0 = the image itself, then a seeded smooth
 * camera path with light noise, see {@link ClipRenderer}); clips keep the i.i.d. order, so {@code L = 1} is the
 * i.i.d. stream record for record. Frames go to a folder named after pool, seed, L and planner version, and frame
 * files that exist are reused on restart. With {@code decorrelate} (none_noseq) the frames are listed in a seeded
 * shuffle instead of clip by clip.
 */
final class SequentialClipsPlanner extends PoolStreamPlanner {

    @Override
    StreamKind kind() {
        return StreamKind.SEQUENTIAL;
    }

    @Override
    int clipLength(StreamRequest req) {
        return req.clipLength();
    }

    @Override
    Integer planClipLength(int clip) {
        return clip;
    }

    @Override
    long writeStream(PlanContext ctx, ImagePool pool, int[] sources, int clip, Path streamPath,
                     ListMetadata.Builder meta) {
        if (clip > 1) {
            return render(ctx, pool, sources, clip, streamPath, meta.clipLength(clip));
        }
        meta.clipLength(1);
        return super.writeStream(ctx, pool, sources, clip, streamPath, meta);
    }

    /** Renders the clips (frame 0 = source image) and writes the stream list over the frame files. */
    private static long render(PlanContext ctx, ImagePool pool, int[] sources, int clip, Path streamPath,
                               ListMetadata.Builder meta) {
        StreamRequest req = ctx.req();
        String prefix = "frames/" + frameTag(req, pool, clip) + "/";
        long total = (long) sources.length * clip;
        if (total > Integer.MAX_VALUE - 8) {
            throw ListFormatException.ofFile(Problem.BAD_OPTION, streamPath, "sequential stream of " + total
                    + " frames is too large", "lower data.num_files or data.clip_length");
        }
        int[] labels = new int[(int) total];
        PixelDiffs consecutive = new PixelDiffs();
        PixelDiffs clipEnds = new PixelDiffs();
        long written = 0;
        for (RenderPart part : Parallel.chunks(sources.length, req.threads(), 1, "clip-render",
                (lo, hi) -> renderClips(req, pool, sources, lo, hi, clip, prefix, labels))) {
            consecutive.merge(part.consecutive());
            clipEnds.merge(part.clipEnds());
            written += part.filesWritten();
        }
        ctx.countRendered(written);
        if (clipEnds.skipped > 0) {
            ctx.note(clipEnds.skipped + " clip boundaries joined images of different sizes and are not in "
                    + "meanAbsDiffClipEnds");
        }
        StreamDiagnostics diag = StreamDiagnostics.ofLabels(labels, pool.numClasses())
                .withPixelDiffs(consecutive.mean(), consecutive.pairsOrNull(), clipEnds.mean(),
                        clipEnds.pairsOrNull());
        // model.buffer_type=none_noseq, the reference's decorrelated source: the same frames, shuffled one by one
        // (as FrameListPlanner does for a Kinetics list), so the stream holds the same images without the correlation
        int[] order = req.decorrelate() ? Seeds.permutation((int) total, Seeds.derive(req.seed(), "decorrelate:clips"))
                : null;
        if (order != null) {
            ctx.note("model.buffer_type=none_noseq: the " + sources.length + " clips' frames are shuffled one by one"
                    + " (decorrelated source)");
            meta.clipLength(1);
        }
        try (MemmapListWriter w = MemmapListWriter.create(streamPath, req.recordWidth(), req.dataDir(), true)) {
            for (int i = 0; i < total; i++) {
                int r = order == null ? i : order[i];
                w.add(prefix + frameName(r / clip, r % clip), labels[r]);
            }
            w.commit(meta.diagnostics(diag).notes(ctx.notes()));
        }
        return total;
    }

    /** What rendering a range of clips measured and wrote. */
    private record RenderPart(PixelDiffs consecutive, PixelDiffs clipEnds, long filesWritten) {
    }

    /** Renders clips {@code [lo, hi)}, writing frame files that do not exist yet. */
    private static RenderPart renderClips(StreamRequest req, ImagePool pool, int[] sources, int lo, int hi, int clip,
                                          String prefix, int[] labels) throws IOException {
        PngEncoder enc = new PngEncoder();
        PixelDiffs consecutive = new PixelDiffs();
        PixelDiffs clipEnds = new PixelDiffs();
        long files = 0;
        Path base = req.dataDir();
        for (int c = lo; c < hi; c++) {
            Raster8 src = ClipRenderer.fitShortSide(pool.pixels(sources[c]), ClipRenderer.MAX_SHORT_SIDE);
            int label = pool.label(sources[c]);
            ClipRenderer.Camera cam = ClipRenderer.Camera.draw(Seeds.derive(req.seed(), "clip-camera", c),
                    src.width(), src.height());
            Path dir = base.resolve(prefix + String.format("c%07d", c));
            Files.createDirectories(dir);
            Raster8 prev = null;
            for (int t = 0; t < clip; t++) {
                Raster8 f = ClipRenderer.frame(src, cam, t, clip,
                        Seeds.derive(req.seed(), "clip-noise", (long) c * clip + t));
                Path target = dir.resolve(String.format("f%04d.png", t));
                if (!Files.exists(target)) {
                    AtomicFiles.writeUnsynced(target, enc.encode(f));
                    files++;
                }
                if (prev != null) {
                    consecutive.add(prev, f);
                }
                prev = f;
                labels[c * clip + t] = label;
            }
            if (c + 1 < sources.length) {
                // the next clip starts on its (fitted) source image
                clipEnds.add(prev, ClipRenderer.fitShortSide(pool.pixels(sources[c + 1]),
                        ClipRenderer.MAX_SHORT_SIDE));
            }
        }
        return new RenderPart(consecutive, clipEnds, files);
    }

    /** The frame folder's name: readable, plus a hash of everything that changes the frames. */
    private static String frameTag(StreamRequest req, ImagePool pool, int clip) {
        String name = pool instanceof CatalogPool ? "folder" : pool.id().replace('/', '-');
        String key = pool.id() + SourcePools.catalogTag(pool) + "|seed=" + req.seed() + "|L=" + clip + "|v"
                + PlanFingerprint.PLANNER_VERSION;
        return name + "-L" + clip + "-s" + req.seed() + "-" + PlanFingerprint.sha256(key).substring(0, 8);
    }

    private static String frameName(int c, int t) {
        return String.format("c%07d/f%04d.png", c, t);
    }
}
