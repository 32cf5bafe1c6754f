package org.contssl.lists.stream;

import java.util.Locale;
import org.contssl.lists.ListFormatException;

/**
 * The stream kinds contssl builds: the reference's three settings plus the domain order of the paper's Section 6
 * (see {@code docs/reference-system.md} and, for how they map onto the local data, {@code docs/data.md}).
 */
public enum StreamKind {
    /** Seeded shuffle (reference: Flickr, one fixed shuffle). */
    IID,
    /** Source order kept (reference: {@code shuffle: False}). */
    ORDERED,
    /** Pseudo-video clips of L rendered frames per source image, clips in seeded order (reference: Kinetics). */
    SEQUENTIAL,
    /** Class-incremental domains D0..D3 in a chosen order (reference: ImageNet-21K splits, Section 6). */
    DOMAINS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StreamKind parse(String s) {
        for (StreamKind k : values()) {
            if (k.id().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new ListFormatException(ListFormatException.Problem.BAD_OPTION, null, -1,
                "unknown stream kind '" + s + "' (data.stream)", "use one of: iid, ordered, sequential, domains");
    }
}
