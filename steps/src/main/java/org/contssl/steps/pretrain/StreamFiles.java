package org.contssl.steps.pretrain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.MemmapList;
import org.contssl.lists.stream.FrameNames;
import org.contssl.lists.stream.VideoSlot;
import org.contssl.steps.config.RunConfig;

/**
 * Which image file a stream record stands for: when it enters the stream (the file the bad-image check decodes)
 * and each time a mini-batch loads it. For an ordinary list both are the record's file. For a Kinetics list with
 * {@code data.seq_sampling=random} the record is a {@link VideoSlot} and every load draws a fresh frame of its video,
 * so a replayed buffer entry shows a new frame each time (docs/reference-system.md §3.2).
 *
 * <p>The frame of a load derives from (run seed, stream position, training step, slot in the mini-batch). Those are
 * fixed by the checkpoint and the buffer's seeded sampling, so a resumed run loads exactly the frames of an
 * uninterrupted one. The entry's replay count would do as well in principle, but it moves when a step's statistics
 * reach the buffer, which the loader (one batch ahead of the trainer) does not wait for; the step does not move.
 */
public abstract class StreamFiles {

    /** The file checked (decoded) when record {@code index} enters the stream. */
    public abstract Path atInsert(long index);

    /** The file loaded for record {@code index} at slot {@code slot} of step {@code step}'s mini-batch. */
    public abstract Path atLoad(long index, long step, int slot);

    /** The files of {@code list} under this run's configuration. */
    public static StreamFiles of(RunConfig config, MemmapList list, long seed) {
        RunConfig.Data d = config.data();
        if ("sequential".equals(d.type()) && "random".equals(d.seqSampling())) {
            return new VideoSlots(list, FrameNames.parse(d.fnameFmt()), seed);
        }
        return new Plain(list);
    }

    /** One file per record. */
    static final class Plain extends StreamFiles {
        private final MemmapList list;

        Plain(MemmapList list) {
            this.list = list;
        }

        @Override
        public Path atInsert(long index) {
            return list.resolve(index);
        }

        @Override
        public Path atLoad(long index, long step, int slot) {
            return list.resolve(index);
        }
    }

    /** Records that are video slots: a seeded random frame of the video at every load. */
    static final class VideoSlots extends StreamFiles {
        /** The draw made when a record enters the stream (training steps are numbered from 1). */
        private static final long INSERT_DRAW = -1;

        private final MemmapList list;
        private final FrameNames names;
        private final long seed;
        private final Path baseDir;
        // the slots of one video arrive together: remember the last video checked for missing frames
        private String checkedDir;
        private Path checkedMissing;

        VideoSlots(MemmapList list, FrameNames names, long seed) {
            this.list = list;
            this.names = names;
            this.seed = seed;
            this.baseDir = list.baseDir();
        }

        /**
         * The first missing frame of the video if there is one — so the bad-image check skips the slot, and a replay
         * can never draw a frame that is not there — else the slot's own insertion draw.
         */
        @Override
        public synchronized Path atInsert(long index) {
            VideoSlot slot = slot(index);
            if (!slot.dir().equals(checkedDir)) {
                checkedMissing = firstMissing(slot);
                checkedDir = slot.dir();
            }
            return checkedMissing != null ? checkedMissing : frame(slot, index, INSERT_DRAW, 0);
        }

        @Override
        public Path atLoad(long index, long step, int slot) {
            return frame(slot(index), index, step, slot);
        }

        private VideoSlot slot(long index) {
            VideoSlot s = VideoSlot.parse(list.pathAt(index), list.dataFile(), index);
            Path dir = baseDir.resolve(s.dir()).normalize();
            if (!dir.startsWith(baseDir) || dir.equals(baseDir)) {
                throw new ListFormatException(ListFormatException.Problem.PATH_ESCAPES_BASE, list.dataFile(), index,
                        "frame directory '" + s.dir() + "' escapes the base directory " + baseDir,
                        "paths must stay inside data.base_dir; fix the list or choose the right base directory");
            }
            return s;
        }

        private Path frame(VideoSlot s, long index, long step, int slot) {
            long draw = Seeds.derive(seed, Seeds.Purpose.VIDEO_FRAME, index, step * 65_536 + slot);
            return s.frameFile(baseDir, names, new SplittableRandom(draw).nextInt(s.frames()));
        }

        private Path firstMissing(VideoSlot s) {
            for (int f = 0; f < s.frames(); f++) {
                Path p = s.frameFile(baseDir, names, f);
                if (!Files.isRegularFile(p)) {
                    return p;
                }
            }
            return null;
        }
    }
}
