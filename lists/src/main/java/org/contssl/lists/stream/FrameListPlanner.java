package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;

/**
 * {@code data.type=sequential}: the reference's Kinetics list, {@code <frame_dir> <num_frames>} per line, frames
 * named by {@code data.fname_fmt} and numbered from 1 (docs/reference-system.md §3.1 (d), §3.2). With
 * {@code data.n_seq_samples = L > 0} every video contributes L consecutive stream records (a clip), else one per
 * frame. Clips come in a seeded video order ({@code data.stream=iid}, as the reference's shuffled clip order) or in
 * list order ({@code ordered}).
 *
 * <ul>
 *   <li>{@code consecutive}: the clip is frames {@code min(s + k, n - 1)}, k = 0..L-1, from a start s drawn
 *       uniformly from {@code 0 .. max(n - L - 1, 1) - 1}, the reference's range. s derives from (run seed, the
 *       video's line), so every process and every restart agrees on it (the reference caches it per loader process,
 *       defect D12). The records are the frame files themselves.</li>
 *   <li>{@code random}: the records are {@link VideoSlot}s; the frame is drawn each time a record is loaded.</li>
 * </ul>
 *
 * <p>{@code model.buffer_type=none_noseq} (the reference's decorrelated source) keeps the same records but shuffles
 * them one by one instead of clip by clip (docs/reference-system.md §7.2).
 */
final class FrameListPlanner extends TextStreamPlanner {

    /** Beyond this, a list this planner holds in memory would not fit a 2^31-record stream anyway. */
    private static final long MAX_RECORDS = Integer.MAX_VALUE - 8;

    @Override
    ListType type() {
        return ListType.SEQUENTIAL;
    }

    @Override
    Records records(PlanContext ctx, Path list, Path baseDir) {
        StreamRequest req = ctx.req();
        List<TextListReader.Video> videos = TextListReader.videos(list);
        FrameNames names = FrameNames.parse(req.fnameFmt());
        int l = req.seqSamples();
        long total = 0;
        for (TextListReader.Video v : videos) {
            total += l > 0 ? l : v.frames();
        }
        if (total > MAX_RECORDS) {
            throw ListFormatException.ofFile(Problem.BAD_OPTION, list, "the stream would have " + total
                    + " records", "lower data.n_seq_samples or split the list");
        }
        List<String> out = new ArrayList<>((int) total);
        for (int v : order(req, videos.size(), "videos")) {
            TextListReader.Video video = videos.get(v);
            int slots = l > 0 ? l : video.frames();
            if (req.seqSampling() == FrameSampling.RANDOM) {
                String slot = new VideoSlot(video.dir(), video.frames()).record();
                for (int k = 0; k < slots; k++) {
                    out.add(slot);
                }
            } else {
                int start = l > 0 ? clipStart(req.seed(), v, video.frames(), l) : 0;
                for (int k = 0; k < slots; k++) {
                    out.add(video.dir() + "/" + names.name(Math.min(start + k, video.frames() - 1)));
                }
            }
        }
        if (req.decorrelate()) {
            int[] perm = Seeds.permutation(out.size(), Seeds.derive(req.seed(), "decorrelate:" + list));
            List<String> shuffled = new ArrayList<>(out.size());
            for (int i : perm) {
                shuffled.add(out.get(i));
            }
            out = shuffled;
            ctx.note("model.buffer_type=none_noseq: the " + videos.size() + " videos' frames are shuffled one by one"
                    + " (decorrelated source)");
        }
        return new Records(out, null, null, l > 0 && !req.decorrelate() ? l : null);
    }

    @Override
    String pathPart(StreamRequest req, String record) {
        return req.seqSampling() != FrameSampling.RANDOM ? record
                : VideoSlot.parse(record, req.trainFilelist(), -1).dir();
    }

    /**
     * The clip's first frame (0-based): uniform over {@code 0 .. max(n - L - 1, 1) - 1} as in the reference, drawn
     * from (run seed, the video's line in the list).
     */
    static int clipStart(long seed, int videoLine, int frames, int clip) {
        int bound = Math.max(frames - clip - 1, 1);
        return new SplittableRandom(Seeds.derive(seed, "clip-start", videoLine)).nextInt(bound);
    }
}
