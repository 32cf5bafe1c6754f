package org.contssl.model.data;

import java.nio.file.Path;

/**
 * A file that cannot be turned into an image. The training step skips the sample and counts it by {@link #reason()};
 * {@link #getMessage()} is one line that names the file, what is wrong and what to do.
 */
public final class ImageDecodeException extends Exception {

    /** Why a file was rejected; stable names, suitable for counters and reports. */
    public enum Reason {
        /** The path does not exist (or is not a regular file). */
        MISSING("file does not exist", "fix the path or drop it from the list"),
        /** The file has zero bytes. */
        EMPTY("file is empty (0 bytes)", "re-download it or drop it from the list"),
        /** The file ends before the image data does. */
        TRUNCATED("file is truncated", "re-download it or drop it from the list"),
        /** The bytes are not a format this decoder knows (PNG, JPEG, PGM/PPM, GIF, BMP). */
        NOT_AN_IMAGE("not a recognised image format", "drop it from the list or convert it to PNG/JPEG"),
        /** A known format whose data is damaged (bad checksum, bad compressed stream, bad header values). */
        CORRUPT("image data is corrupt", "re-download it or drop it from the list"),
        /** A known format in a variant that the decoder cannot read (e.g. CMYK JPEG without a plug-in). */
        UNSUPPORTED("image variant is not supported", "convert it to an 8-bit RGB or grey PNG/JPEG"),
        /** Declared pixel count or file size above the configured limit (decompression-bomb guard). */
        TOO_LARGE("image is larger than the configured limit", "resize it or raise the limit"),
        /** The operating system refused the read (permissions, I/O error). */
        UNREADABLE("file cannot be read", "check permissions and the disk");

        private final String what;
        private final String action;

        Reason(String what, String action) {
            this.what = what;
            this.action = action;
        }

        /** Short description, e.g. "file is truncated". */
        public String what() {
            return what;
        }

        /** What the user should do about it. */
        public String action() {
            return action;
        }
    }

    private final transient Path file;
    private final Reason reason;
    private final String detail;

    public ImageDecodeException(Path file, Reason reason, String detail) {
        this(file, reason, detail, null);
    }

    public ImageDecodeException(Path file, Reason reason, String detail, Throwable cause) {
        super(format(file, reason, detail), cause);
        this.file = file;
        this.reason = reason;
        this.detail = detail;
    }

    private static String format(Path file, Reason reason, String detail) {
        String d = detail == null || detail.isBlank() ? "" : " (" + oneLine(detail) + ")";
        return "image " + file + ": " + reason.what() + d + "; " + reason.action();
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    public Path file() {
        return file;
    }

    public Reason reason() {
        return reason;
    }

    /** Format-specific detail (may be empty), already included in the message. */
    public String detail() {
        return detail == null ? "" : detail;
    }
}
