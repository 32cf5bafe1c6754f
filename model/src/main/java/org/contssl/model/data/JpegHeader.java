package org.contssl.model.data;

import java.nio.file.Path;

import org.contssl.model.data.ImageDecodeException.Reason;

/**
 * Finds a JPEG's frame header (SOFn) by walking the marker segments, so the pixel-count limit is enforced before
 * the decoder allocates anything.
 */
final class JpegHeader {

    private JpegHeader() {
    }

    /** Header of the first frame; also says whether the file has a start-of-scan and an end-of-image marker. */
    static ImageInfo read(Path file, byte[] b, int len) throws ImageDecodeException {
        int p = 2;
        while (true) {
            // Markers may be preceded by any number of 0xFF fill bytes.
            while (p < len && (b[p] & 0xFF) != 0xFF) {
                p++; // tolerate garbage between segments, as libjpeg does (with a warning)
            }
            while (p < len && (b[p] & 0xFF) == 0xFF) {
                p++;
            }
            if (p >= len) {
                throw new ImageDecodeException(file, Reason.TRUNCATED, "JPEG ends before its frame header");
            }
            int marker = b[p++] & 0xFF;
            if (marker == 0xD9 || marker == 0xDA) {
                throw new ImageDecodeException(file, Reason.CORRUPT, "JPEG has no frame header before "
                        + (marker == 0xDA ? "its scan" : "its end"));
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                continue; // standalone markers carry no length
            }
            if (p + 2 > len) {
                throw new ImageDecodeException(file, Reason.TRUNCATED, "JPEG ends inside a marker segment");
            }
            int segLen = (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
            if (segLen < 2) {
                throw new ImageDecodeException(file, Reason.CORRUPT, "JPEG segment at byte " + p + " has length "
                        + segLen);
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (p + 8 > len) {
                    throw new ImageDecodeException(file, Reason.TRUNCATED, "JPEG ends inside its frame header");
                }
                int h = (b[p + 3] & 0xFF) << 8 | (b[p + 4] & 0xFF);
                int w = (b[p + 5] & 0xFF) << 8 | (b[p + 6] & 0xFF);
                int comps = b[p + 7] & 0xFF;
                if (w == 0 || h == 0) {
                    throw new ImageDecodeException(file, Reason.UNSUPPORTED, "JPEG frame declares size " + w + "x" + h
                            + " (height set later by a DNL marker)");
                }
                if (comps != 1 && comps != 3 && comps != 4) {
                    throw new ImageDecodeException(file, Reason.UNSUPPORTED, "JPEG with " + comps + " components");
                }
                return new ImageInfo(ImageFormat.JPEG, w, h, comps == 1 ? 1 : 3);
            }
            p += segLen;
        }
    }
}
