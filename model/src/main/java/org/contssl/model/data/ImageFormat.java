package org.contssl.model.data;

/** Container formats recognised by their leading bytes (never by the file name's extension). */
public enum ImageFormat {
    PNG, JPEG, PNM, GIF, BMP, TIFF;

    /** The format whose magic number starts {@code b}, or {@code null} if none matches. */
    static ImageFormat sniff(byte[] b, int len) {
        if (len >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return PNG;
        }
        if (len >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (len >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6' && isPnmSpace(b[2])) {
            return PNM;
        }
        if (len >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8' && (b[4] == '7' || b[4] == '9')
                && b[5] == 'a') {
            return GIF;
        }
        if (len >= 14 && b[0] == 'B' && b[1] == 'M') {
            return BMP;
        }
        if (len >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0)
                || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
            return TIFF;
        }
        return null;
    }

    static boolean isPnmSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == '#';
    }
}
