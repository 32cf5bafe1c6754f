package org.contssl.lists.stream;

import java.util.Locale;
import org.contssl.lists.ListFormatException;

/**
 * A frame file name pattern in the reference's Python syntax ({@code data.fname_fmt}, default {@code {:03d}.jpeg}):
 * literal text around one integer field {@code {}}, {@code {:d}}, {@code {:Nd}} or {@code {:0Nd}}; {@code {{} and
 * {@code }}} stand for literal braces. Frames are numbered from 1 in file names, as the reference's Kinetics loader
 * names them (docs/reference-system.md §3.1 (d)).
 */
public final class FrameNames {

    public static final String DEFAULT = "{:03d}.jpeg";

    private final String pattern;
    private final String prefix;
    private final String suffix;
    private final int width;
    private final boolean zeroPad;

    private FrameNames(String pattern, String prefix, String suffix, int width, boolean zeroPad) {
        this.pattern = pattern;
        this.prefix = prefix;
        this.suffix = suffix;
        this.width = width;
        this.zeroPad = zeroPad;
    }

    /** Parses a pattern; anything but one integer field is a one-line error naming {@code data.fname_fmt}. */
    public static FrameNames parse(String pattern) {
        StringBuilder prefix = new StringBuilder();
        StringBuilder suffix = new StringBuilder();
        String spec = null;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < pattern.length() && pattern.charAt(i + 1) == c) {
                (spec == null ? prefix : suffix).append(c);
                i += 2;
            } else if (c == '{') {
                int close = pattern.indexOf('}', i);
                if (spec != null || close < 0) {
                    throw bad(pattern, spec != null ? "has more than one {} field" : "has an unclosed {");
                }
                spec = pattern.substring(i + 1, close);
                i = close + 1;
            } else if (c == '}') {
                throw bad(pattern, "has an unmatched }");
            } else {
                (spec == null ? prefix : suffix).append(c);
                i++;
            }
        }
        if (spec == null) {
            throw bad(pattern, "has no {} field for the frame number");
        }
        if (spec.isEmpty() || spec.equals(":d")) {
            return new FrameNames(pattern, prefix.toString(), suffix.toString(), 0, false);
        }
        if (!spec.matches(":0?[1-9][0-9]?d")) {
            throw bad(pattern, "field {" + spec + "} is not an integer field ({}, {:d}, {:Nd} or {:0Nd})");
        }
        boolean zero = spec.charAt(1) == '0';
        int width = Integer.parseInt(spec.substring(zero ? 2 : 1, spec.length() - 1));
        return new FrameNames(pattern, prefix.toString(), suffix.toString(), width, zero);
    }

    /** The file name of frame {@code frame} (0-based), numbered from 1 as in the reference. */
    public String name(int frame) {
        String digits = Integer.toString(frame + 1);
        StringBuilder b = new StringBuilder(prefix.length() + suffix.length() + Math.max(width, digits.length()));
        b.append(prefix);
        for (int k = digits.length(); k < width; k++) {
            b.append(zeroPad ? '0' : ' ');
        }
        return b.append(digits).append(suffix).toString();
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static ListFormatException bad(String pattern, String what) {
        return new ListFormatException(ListFormatException.Problem.BAD_OPTION, null, -1,
                String.format(Locale.ROOT, "data.fname_fmt: '%s' %s", pattern, what),
                "use a pattern like {:03d}.jpeg (the reference's default) or {:05d}.jpg");
    }
}
