package org.contssl.model.data;

import java.nio.file.Path;

import org.contssl.model.data.ImageDecodeException.Reason;

/**
 * Netpbm grey and colour maps: P5/P6 (binary, the format of the ViSP real-video frames) and P2/P3 (ASCII). Sample
 * values are scaled from {@code maxval} to 0..255 with rounding; 16-bit samples are big-endian as the format says.
 * Bitmaps (P1/P4) are rejected as unsupported: nothing in this project's data uses them.
 */
final class PnmDecoder {

    private PnmDecoder() {
    }

    record Header(ImageInfo info, int kind, int maxval, int dataStart) {
    }

    static Header header(Path file, byte[] b, int len) throws ImageDecodeException {
        int kind = b[1] - '0';
        if (kind == 1 || kind == 4) {
            throw new ImageDecodeException(file, Reason.UNSUPPORTED, "PBM bitmap (P" + kind + ")");
        }
        int[] pos = {2};
        long w = token(file, b, len, pos, "width");
        long h = token(file, b, len, pos, "height");
        long maxval = token(file, b, len, pos, "maxval");
        if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE || maxval <= 0 || maxval > 65535) {
            throw new ImageDecodeException(file, Reason.CORRUPT, "PNM declares width " + w + ", height " + h
                    + ", maxval " + maxval);
        }
        // Exactly one whitespace byte separates maxval from binary data.
        int dataStart = pos[0] + 1;
        int channels = kind == 3 || kind == 6 ? 3 : 1;
        return new Header(new ImageInfo(ImageFormat.PNM, (int) w, (int) h, channels), kind, (int) maxval, dataStart);
    }

    static DecodedImage decode(Path file, byte[] b, int len, Header hd) throws ImageDecodeException {
        int w = hd.info().width();
        int h = hd.info().height();
        int c = hd.info().channels();
        int n = w * h * c;
        byte[] out = new byte[n];
        int maxval = hd.maxval();
        if (hd.kind() == 5 || hd.kind() == 6) {
            int bytesPerSample = maxval > 255 ? 2 : 1;
            long need = (long) hd.dataStart() + (long) n * bytesPerSample;
            if (need > len) {
                throw new ImageDecodeException(file, Reason.TRUNCATED, "PNM needs " + need + " bytes, file has " + len);
            }
            int p = hd.dataStart();
            if (maxval == 255) {
                System.arraycopy(b, p, out, 0, n);
                return new DecodedImage(w, h, c, out);
            }
            for (int i = 0; i < n; i++) {
                int v = bytesPerSample == 2 ? (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF) : b[p] & 0xFF;
                p += bytesPerSample;
                out[i] = scale(file, v, maxval);
            }
        } else {
            int[] pos = {hd.dataStart() - 1};
            for (int i = 0; i < n; i++) {
                long v = token(file, b, len, pos, "sample " + i);
                out[i] = scale(file, v, maxval);
            }
        }
        return new DecodedImage(w, h, c, out);
    }

    private static byte scale(Path file, long v, int maxval) throws ImageDecodeException {
        if (v > maxval) {
            throw new ImageDecodeException(file, Reason.CORRUPT, "PNM sample " + v + " exceeds maxval " + maxval);
        }
        return (byte) ((v * 255 + maxval / 2) / maxval);
    }

    /** Next decimal number after whitespace and '#' comments; {@code pos[0]} ends just after its last digit. */
    private static long token(Path file, byte[] b, int len, int[] pos, String what) throws ImageDecodeException {
        int p = pos[0];
        while (p < len) {
            byte ch = b[p];
            if (ch == '#') {
                while (p < len && b[p] != '\n' && b[p] != '\r') {
                    p++;
                }
            } else if (ImageFormat.isPnmSpace(ch)) {
                p++;
            } else {
                break;
            }
        }
        if (p >= len) {
            throw new ImageDecodeException(file, Reason.TRUNCATED, "PNM ends before its " + what);
        }
        long v = 0;
        int start = p;
        while (p < len && b[p] >= '0' && b[p] <= '9' && p - start < 10) {
            v = v * 10 + (b[p] - '0');
            p++;
        }
        if (p == start) {
            throw new ImageDecodeException(file, Reason.CORRUPT, "PNM " + what + " is not a number");
        }
        pos[0] = p;
        return v;
    }
}
