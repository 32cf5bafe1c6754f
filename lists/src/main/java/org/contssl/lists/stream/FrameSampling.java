package org.contssl.lists.stream;

import java.util.Locale;
import org.contssl.lists.ListFormatException;

/**
 * {@code data.seq_sampling}: which frame of a video a stream record shows (docs/reference-system.md §3.2, Kinetics).
 */
public enum FrameSampling {
    /**
     * L consecutive frames from a start drawn once per video, the frame index clamped to the video's last frame. The
     * start derives from (run seed, video), so unlike the reference's per-loader-process cache (defect D12) every
     * process and every restart sees the same window; the frames are fixed when the list is built.
     */
    CONSECUTIVE,
    /**
     * Each record is a video slot: every load draws a fresh uniformly random frame of its video. The list holds the
     * video, not a frame ({@link VideoSlot}); the frame is chosen where the image is loaded.
     */
    RANDOM;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FrameSampling parse(String s) {
        for (FrameSampling f : values()) {
            if (f.id().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new ListFormatException(ListFormatException.Problem.BAD_OPTION, null, -1,
                "data.seq_sampling: unknown value '" + s + "'", "use consecutive or random");
    }
}
