package org.contssl.model.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import org.contssl.model.data.ImageDecodeException.Reason;

/**
 * Turns an image file into a {@link DecodedImage} (8-bit grey or RGB), or raises an {@link ImageDecodeException}
 * whose {@link ImageDecodeException.Reason} a batch step can count and skip.
 *
 * <p>The format is recognised from the leading bytes. PNG (non-interlaced) and PGM/PPM are decoded by this package
 * directly; JPEG, GIF, BMP, TIFF and interlaced PNG through ImageIO. Before any pixel buffer is allocated the
 * header's declared pixel count is checked against {@code maxPixels} and the file size against {@code maxFileBytes}
 * (decompression-bomb guard). Thread-safe; holds no per-file state.
 */
public final class ImageDecoder {

    /** PIL's {@code MAX_IMAGE_PIXELS} (≈ 9459²): large enough for any photo, small enough to stop a bomb. */
    public static final long DEFAULT_MAX_PIXELS = 89_478_485L;
    /** No training image is near this; it bounds the read of a mislabelled multi-gigabyte file. */
    public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;

    private final long maxPixels;
    private final long maxFileBytes;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS, DEFAULT_MAX_FILE_BYTES);
    }

    /**
     * @param maxPixels    largest accepted width × height declared by a header
     * @param maxFileBytes largest accepted file size
     */
    public ImageDecoder(long maxPixels, long maxFileBytes) {
        if (maxPixels <= 0 || maxFileBytes <= 0) {
            throw new IllegalArgumentException("image limits must be positive: maxPixels=" + maxPixels
                    + ", maxFileBytes=" + maxFileBytes);
        }
        this.maxPixels = maxPixels;
        this.maxFileBytes = maxFileBytes;
    }

    public long maxPixels() {
        return maxPixels;
    }

    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** Reads and decodes {@code file}. */
    public DecodedImage decode(Path file) throws ImageDecodeException {
        byte[] b = readFile(file);
        return decode(file, b, b.length);
    }

    /**
     * Decodes an image already in memory; {@code name} only labels error messages (e.g. the path the bytes came
     * from).
     */
    public DecodedImage decode(Path name, byte[] data, int length) throws ImageDecodeException {
        if (length == 0) {
            throw new ImageDecodeException(name, Reason.EMPTY, "");
        }
        ImageFormat fmt = sniff(name, data, length);
        switch (fmt) {
            case PNG -> {
                PngDecoder.Header h = PngDecoder.header(name, data, length);
                checkPixels(name, h.info());
                return h.interlaced() ? ImageIoDecoder.decode(name, data, length, fmt)
                        : PngDecoder.decode(name, data, length, h);
            }
            case PNM -> {
                PnmDecoder.Header h = PnmDecoder.header(name, data, length);
                checkPixels(name, h.info());
                return PnmDecoder.decode(name, data, length, h);
            }
            case JPEG -> {
                checkPixels(name, JpegHeader.read(name, data, length));
                return ImageIoDecoder.decode(name, data, length, fmt);
            }
            default -> {
                checkPixels(name, ImageIoDecoder.header(name, data, length, fmt));
                return ImageIoDecoder.decode(name, data, length, fmt);
            }
        }
    }

    /**
     * Reads only what the header declares (format, size) and applies the same checks as {@link #decode} short of
     * decoding pixels: a cheap admission test for a file list. Truncated pixel data is not detected here.
     */
    public ImageInfo probe(Path file) throws ImageDecodeException {
        byte[] b = readFile(file);
        ImageFormat fmt = sniff(file, b, b.length);
        ImageInfo info = switch (fmt) {
            case PNG -> PngDecoder.header(file, b, b.length).info();
            case PNM -> PnmDecoder.header(file, b, b.length).info();
            case JPEG -> JpegHeader.read(file, b, b.length);
            default -> ImageIoDecoder.header(file, b, b.length, fmt);
        };
        checkPixels(file, info);
        return info;
    }

    private static ImageFormat sniff(Path name, byte[] b, int len) throws ImageDecodeException {
        ImageFormat fmt = ImageFormat.sniff(b, len);
        if (fmt == null && len >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W'
                && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            throw new ImageDecodeException(name, Reason.UNSUPPORTED, "WebP has no decoder in the JDK");
        }
        if (fmt == null) {
            throw new ImageDecodeException(name, Reason.NOT_AN_IMAGE, "first bytes " + hex(b, Math.min(len, 8)));
        }
        return fmt;
    }

    private void checkPixels(Path file, ImageInfo info) throws ImageDecodeException {
        if (info.pixelCount() > maxPixels) {
            throw new ImageDecodeException(file, Reason.TOO_LARGE, info.format() + " header declares "
                    + info.width() + "x" + info.height() + " = " + info.pixelCount() + " pixels, limit " + maxPixels);
        }
        if (info.pixelCount() * 3 > Integer.MAX_VALUE - 16) {
            throw new ImageDecodeException(file, Reason.TOO_LARGE, info.format() + " header declares "
                    + info.width() + "x" + info.height() + ", more than one Java array can hold as RGB");
        }
    }

    /** Whole file into memory with one open; missing/empty/oversized files are classified before reading. */
    byte[] readFile(Path file) throws ImageDecodeException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            if (size == 0) {
                throw new ImageDecodeException(file, Reason.EMPTY, "");
            }
            if (size > maxFileBytes) {
                throw new ImageDecodeException(file, Reason.TOO_LARGE, size + " bytes, limit " + maxFileBytes);
            }
            byte[] b = new byte[(int) size];
            ByteBuffer buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    break; // shrank while we read it: decode what is there, the decoder reports truncation
                }
            }
            int n = buf.position();
            if (n == 0) {
                throw new ImageDecodeException(file, Reason.EMPTY, "");
            }
            return n == b.length ? b : Arrays.copyOf(b, n);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(file, Reason.MISSING, "");
        } catch (AccessDeniedException e) {
            throw new ImageDecodeException(file, Reason.UNREADABLE, "permission denied", e);
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new ImageDecodeException(file, Reason.MISSING, "path is a directory");
            }
            if (!Files.exists(file)) { // e.g. a parent is a regular file ("Not a directory")
                throw new ImageDecodeException(file, Reason.MISSING, e.getMessage());
            }
            throw new ImageDecodeException(file, Reason.UNREADABLE, e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02x", b[i] & 0xFF));
        }
        return s.toString();
    }
}
