package org.contssl.lists.stream;

import java.util.Locale;
import org.contssl.lists.ListFormatException;

/**
 * The format of a bring-your-own stream list ({@code data.type}, the reference's key and values; see
 * {@code docs/reference-system.md} §3.1 and {@code docs/your-own-data.md}, "Streams").
 */
public enum ListType {
    /** The reference's fixed-width memmap list (120-byte records by default). */
    MEMMAP,
    /** A text list, one image per line; the first space-separated token is the path under {@code data.base_dir}. */
    STANDARD,
    /** The reference's Kinetics list: {@code <frame_dir> <num_frames>} per line, frames named by a pattern. */
    SEQUENTIAL,
    /** A class-folder tree or a labelled list, visited class block by class block. */
    CLASS_SEQUENTIAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ListType parse(String s) {
        for (ListType t : values()) {
            if (t.id().equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new ListFormatException(ListFormatException.Problem.BAD_OPTION, null, -1,
                "data.type: unknown list type '" + s + "'", "use one of: memmap, standard, sequential, class_sequential");
    }
}
