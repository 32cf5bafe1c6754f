package org.contssl.lists.stream;

import java.nio.file.Path;
import org.contssl.lists.ListFormatException;

/**
 * A stream record that stands for a whole video rather than one frame ({@code data.seq_sampling=random}): every
 * time it is loaded a fresh frame of the video is drawn, so a replayed buffer entry shows a new frame of the same
 * video (docs/reference-system.md §3.2). The record is the Kinetics list line itself, {@code <frame_dir>
 * <num_frames>}: it survives shuffling and subsampling like any record, and the frame directory cannot contain a
 * space in the reference's format either.
 *
 * @param dir    the frame directory, relative to the list's base directory
 * @param frames how many frames the video has (at least 1)
 */
public record VideoSlot(String dir, int frames) {

    public VideoSlot {
        if (frames < 1) {
            throw new IllegalArgumentException("a video needs at least one frame, got " + frames + " for " + dir);
        }
    }

    /** The list record of this slot. */
    public String record() {
        return dir + " " + frames;
    }

    /** Parses a record written by {@link #record()}; {@code list} and {@code index} only name a bad one. */
    public static VideoSlot parse(String record, Path list, long index) {
        int sp = record.lastIndexOf(' ');
        int n = -1;
        if (sp > 0) {
            try {
                n = Integer.parseInt(record.substring(sp + 1));
            } catch (NumberFormatException e) {
                n = -1;
            }
        }
        if (n < 1) {
            throw new ListFormatException(ListFormatException.Problem.BAD_OPTION, list, index,
                    "record '" + record + "' is not a video slot '<frame_dir> <num_frames>'",
                    "this stream was not built with data.type=sequential data.seq_sampling=random; run the lists job again");
        }
        return new VideoSlot(record.substring(0, sp), n);
    }

    /** The file of frame {@code frame} (0-based) under {@code baseDir}. */
    public Path frameFile(Path baseDir, FrameNames names, int frame) {
        return baseDir.resolve(dir).resolve(names.name(frame)).normalize();
    }
}
