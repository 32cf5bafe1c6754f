package org.contssl.model.data;

import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.contssl.model.data.ImageDecodeException.Reason;

/**
 * Non-interlaced PNG straight into a byte array. Exists because ImageIO's PNG reader costs more per 28×28 image than
 * two augmentations together (see {@code AugmentBenchmark}); interlaced files go to ImageIO instead. Bit depths below
 * 8 are scaled to 0..255, 16-bit samples keep their high byte (as PIL and libpng's strip-16 do), alpha and tRNS are
 * ignored (PIL's {@code convert("RGB")} drops them the same way).
 */
final class PngDecoder {

    private static final int IHDR = 0x49484452;
    private static final int PLTE = 0x504C5445;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454E44;

    /** One inflater per thread: creating one allocates native zlib state, which costs more than a small image. */
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
    private static final ThreadLocal<CRC32> CRC = ThreadLocal.withInitial(CRC32::new);

    private PngDecoder() {
    }

    /** Parsed IHDR fields beyond {@link ImageInfo}. */
    record Header(ImageInfo info, int bitDepth, int colorType, boolean interlaced) {
    }

    static Header header(Path file, byte[] b, int len) throws ImageDecodeException {
        if (len < 33) {
            throw new ImageDecodeException(file, Reason.TRUNCATED, "PNG ends inside its header, " + len + " bytes");
        }
        if (readInt(b, 8) != 13 || readInt(b, 12) != IHDR) {
            throw new ImageDecodeException(file, Reason.CORRUPT, "PNG does not start with a 13-byte IHDR chunk");
        }
        checkCrc(file, b, 8, 13);
        long w = readInt(b, 16) & 0xFFFFFFFFL;
        long h = readInt(b, 20) & 0xFFFFFFFFL;
        int depth = b[24] & 0xFF;
        int colorType = b[25] & 0xFF;
        int interlace = b[28] & 0xFF;
        if (w == 0 || h == 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new ImageDecodeException(file, Reason.CORRUPT, "PNG declares size " + w + "x" + h);
        }
        if (!validDepth(colorType, depth) || b[26] != 0 || b[27] != 0 || interlace > 1) {
            throw new ImageDecodeException(file, Reason.CORRUPT, "PNG declares colour type " + colorType
                    + ", bit depth " + depth + ", compression " + b[26] + ", filter " + b[27]
                    + ", interlace " + interlace);
        }
        int channels = colorType == 0 || colorType == 4 ? 1 : 3;
        return new Header(new ImageInfo(ImageFormat.PNG, (int) w, (int) h, channels), depth, colorType,
                interlace == 1);
    }

    private static boolean validDepth(int colorType, int d) {
        return switch (colorType) {
            case 0 -> d == 1 || d == 2 || d == 4 || d == 8 || d == 16;
            case 3 -> d == 1 || d == 2 || d == 4 || d == 8;
            case 2, 4, 6 -> d == 8 || d == 16;
            default -> false;
        };
    }

    /** Decodes a non-interlaced PNG whose header has already passed the size limit. */
    static DecodedImage decode(Path file, byte[] b, int len, Header hd) throws ImageDecodeException {
        int w = hd.info().width();
        int h = hd.info().height();
        int spp = switch (hd.colorType()) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        int bitsPerPixel = spp * hd.bitDepth();
        long rowBytesL = ((long) w * bitsPerPixel + 7) / 8;
        long rawSize = (rowBytesL + 1) * h;
        if (rawSize > Integer.MAX_VALUE - 16) {
            throw new ImageDecodeException(file, Reason.TOO_LARGE, "PNG needs " + rawSize + " bytes of raw data");
        }
        int rowBytes = (int) rowBytesL;
        byte[] raw = new byte[(int) rawSize];
        byte[] palette = null;
        int produced = 0;
        boolean sawIend = false;
        boolean cut = false;
        Inflater inf = INFLATER.get();
        inf.reset();
        try {
            int pos = 33;
            while (true) {
                if (pos + 12 > len) {
                    cut = pos < len || !sawIend;
                    break;
                }
                int clen = readInt(b, pos);
                int type = readInt(b, pos + 4);
                if (clen < 0) {
                    throw new ImageDecodeException(file, Reason.CORRUPT, "PNG chunk at byte " + pos
                            + " declares a negative length");
                }
                if (pos + 12L + clen > len) {
                    cut = true;
                    break;
                }
                checkCrc(file, b, pos, clen);
                if (type == IDAT) {
                    inf.setInput(b, pos + 8, clen);
                    while (!inf.needsInput() && !inf.finished() && produced < raw.length) {
                        int n = inf.inflate(raw, produced, raw.length - produced);
                        if (n == 0 && inf.needsDictionary()) {
                            throw new ImageDecodeException(file, Reason.CORRUPT, "PNG image data needs a zlib dictionary");
                        }
                        produced += n;
                    }
                } else if (type == PLTE) {
                    palette = new byte[768];
                    System.arraycopy(b, pos + 8, palette, 0, Math.min(clen, 768));
                } else if (type == IEND) {
                    sawIend = true;
                    break;
                } else if ((b[pos + 4] & 0x20) == 0) {
                    throw new ImageDecodeException(file, Reason.UNSUPPORTED, "PNG has unknown critical chunk "
                            + chunkName(b, pos + 4));
                }
                pos += 12 + clen;
            }
        } catch (DataFormatException e) {
            throw new ImageDecodeException(file, Reason.CORRUPT, "PNG image data does not inflate: " + e.getMessage());
        }
        if (produced < raw.length) {
            Reason r = cut ? Reason.TRUNCATED : Reason.CORRUPT;
            throw new ImageDecodeException(file, r, "PNG image data has " + produced + " of " + raw.length + " bytes");
        }
        if (hd.colorType() == 3 && palette == null) {
            throw new ImageDecodeException(file, Reason.CORRUPT, "palette PNG without a PLTE chunk");
        }
        unfilter(file, raw, h, rowBytes, Math.max(1, bitsPerPixel / 8));
        int channels = hd.info().channels();
        byte[] out = new byte[w * h * channels];
        convert(raw, out, w, h, rowBytes, hd.colorType(), hd.bitDepth(), spp, palette);
        return new DecodedImage(w, h, channels, out);
    }

    private static void unfilter(Path file, byte[] raw, int h, int rowBytes, int bpp) throws ImageDecodeException {
        int stride = rowBytes + 1;
        for (int y = 0; y < h; y++) {
            int row = y * stride + 1;
            int prev = row - stride; // only read when y > 0
            int filter = raw[row - 1];
            switch (filter) {
                case 0 -> {
                }
                case 1 -> {
                    for (int i = bpp; i < rowBytes; i++) {
                        raw[row + i] += raw[row + i - bpp];
                    }
                }
                case 2 -> {
                    if (y > 0) {
                        for (int i = 0; i < rowBytes; i++) {
                            raw[row + i] += raw[prev + i];
                        }
                    }
                }
                case 3 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int left = i >= bpp ? raw[row + i - bpp] & 0xFF : 0;
                        int up = y > 0 ? raw[prev + i] & 0xFF : 0;
                        raw[row + i] += (byte) ((left + up) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int a = i >= bpp ? raw[row + i - bpp] & 0xFF : 0;
                        int bb = y > 0 ? raw[prev + i] & 0xFF : 0;
                        int c = i >= bpp && y > 0 ? raw[prev + i - bpp] & 0xFF : 0;
                        int p = a + bb - c;
                        int pa = Math.abs(p - a);
                        int pb = Math.abs(p - bb);
                        int pc = Math.abs(p - c);
                        int pred = pa <= pb && pa <= pc ? a : pb <= pc ? bb : c;
                        raw[row + i] += (byte) pred;
                    }
                }
                default -> throw new ImageDecodeException(file, Reason.CORRUPT, "PNG row " + y
                        + " has unknown filter type " + filter);
            }
        }
    }

    private static void convert(byte[] raw, byte[] out, int w, int h, int rowBytes, int colorType, int depth,
                                int spp, byte[] palette) {
        int stride = rowBytes + 1;
        if (depth == 8 && (colorType == 0 || colorType == 2)) {
            int n = w * spp;
            for (int y = 0; y < h; y++) {
                System.arraycopy(raw, y * stride + 1, out, y * n, n);
            }
        } else if (depth == 8 || depth == 16) {
            // Keep the first 1 or 3 samples of each pixel; for 16 bit the high byte comes first (big-endian).
            int bytesPerSample = depth / 8;
            int keep = colorType == 0 || colorType == 4 ? 1 : colorType == 3 ? 1 : 3;
            int o = 0;
            for (int y = 0; y < h; y++) {
                int p = y * stride + 1;
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < keep; c++) {
                        out[o++] = raw[p + c * bytesPerSample];
                    }
                    p += spp * bytesPerSample;
                }
            }
            if (colorType == 3) {
                expandPalette(out, w * h, palette);
            }
        } else {
            // 1, 2 or 4 bits per sample, one sample per pixel (grey or palette index), MSB first, rows byte-aligned.
            int mask = (1 << depth) - 1;
            int scale = colorType == 0 ? 255 / mask : 1;
            int o = 0;
            for (int y = 0; y < h; y++) {
                int p = y * stride + 1;
                for (int x = 0; x < w; x++) {
                    int bit = x * depth;
                    int v = ((raw[p + (bit >>> 3)] & 0xFF) >>> (8 - depth - (bit & 7))) & mask;
                    out[o++] = (byte) (v * scale);
                }
            }
            if (colorType == 3) {
                expandPalette(out, w * h, palette);
            }
        }
    }

    /** Indices sit in the first w*h bytes; expand back to front so the array can be reused in place. */
    private static void expandPalette(byte[] out, int n, byte[] palette) {
        for (int i = n - 1; i >= 0; i--) {
            int idx = (out[i] & 0xFF) * 3;
            out[3 * i] = palette[idx];
            out[3 * i + 1] = palette[idx + 1];
            out[3 * i + 2] = palette[idx + 2];
        }
    }

    private static void checkCrc(Path file, byte[] b, int chunkStart, int clen) throws ImageDecodeException {
        CRC32 crc = CRC.get();
        crc.reset();
        crc.update(b, chunkStart + 4, clen + 4);
        if ((int) crc.getValue() != readInt(b, chunkStart + 8 + clen)) {
            throw new ImageDecodeException(file, Reason.CORRUPT, "PNG chunk " + chunkName(b, chunkStart + 4)
                    + " at byte " + chunkStart + " fails its CRC");
        }
    }

    private static String chunkName(byte[] b, int off) {
        StringBuilder s = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            char c = (char) (b[off + i] & 0xFF);
            s.append(c >= 32 && c < 127 ? c : '?');
        }
        return s.toString();
    }

    static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
