package org.contssl.model.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.contssl.model.data.ImageDecodeException.Reason;

/**
 * The JDK's ImageIO for JPEG (its reader wraps native libjpeg), GIF, BMP, TIFF and interlaced PNG. Readers are kept
 * per thread and format because creating a JPEG reader allocates native state; input comes from memory so ImageIO
 * never writes a disk cache.
 */
final class ImageIoDecoder {

    private static final ThreadLocal<Map<ImageFormat, ImageReader>> READERS =
            ThreadLocal.withInitial(() -> new EnumMap<>(ImageFormat.class));
    /** The last JPEG destination image of this thread, reused by {@link #readReusing} for the next of its size. */
    private static final ThreadLocal<BufferedImage> JPEG_DEST = new ThreadLocal<>();

    private ImageIoDecoder() {
    }

    /** Reads width and height through ImageIO's header parsing only (no pixel decoding). */
    static ImageInfo header(Path file, byte[] b, int len, ImageFormat fmt) throws ImageDecodeException {
        ImageReader reader = reader(file, fmt);
        boolean ok = false;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(b, 0, len))) {
            reader.setInput(in, true, true);
            ImageInfo info = new ImageInfo(fmt, reader.getWidth(0), reader.getHeight(0), 0);
            ok = true;
            return info;
        } catch (IOException | RuntimeException e) {
            throw classify(file, fmt, e, List.of());
        } finally {
            release(fmt, reader, ok);
        }
    }

    static DecodedImage decode(Path file, byte[] b, int len, ImageFormat fmt) throws ImageDecodeException {
        ImageReader reader = reader(file, fmt);
        List<String> warnings = new ArrayList<>(2);
        IIOReadWarningListener listener = (src, msg) -> warnings.add(msg);
        boolean ok = false;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(b, 0, len))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener(listener);
            BufferedImage img = fmt == ImageFormat.JPEG ? readReusing(reader) : reader.read(0);
            for (String w : warnings) {
                if (isTruncation(w)) {
                    throw new ImageDecodeException(file, Reason.TRUNCATED, fmt + " decoder: " + w);
                }
            }
            ok = true;
            return toDecoded(img);
        } catch (IOException | RuntimeException e) {
            throw classify(file, fmt, e, warnings);
        } finally {
            reader.removeIIOReadWarningListener(listener);
            release(fmt, reader, ok);
        }
    }

    /**
     * JPEG into this thread's previous destination image when it has the size and type the reader would create:
     * {@link #toDecoded} copies the pixels out, so the image is free again, and a photo no longer allocates (and
     * zeroes) a second pixel buffer besides the {@link DecodedImage}'s. Every pixel is overwritten; a truncated file
     * is rejected from the reader's warnings before its pixels are used.
     */
    private static BufferedImage readReusing(ImageReader reader) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        BufferedImage prev = JPEG_DEST.get();
        ImageReadParam param = null;
        if (prev != null && prev.getWidth() == w && prev.getHeight() == h) {
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            if (types.hasNext() && types.next().getBufferedImageType() == prev.getType()) {
                param = reader.getDefaultReadParam();
                param.setDestination(prev);
            }
        }
        BufferedImage img = reader.read(0, param);
        JPEG_DEST.set(img);
        return img;
    }

    private static ImageReader reader(Path file, ImageFormat fmt) throws ImageDecodeException {
        ImageReader r = READERS.get().remove(fmt);
        if (r != null) {
            return r;
        }
        String name = switch (fmt) {
            case JPEG -> "jpeg";
            case PNG -> "png";
            case GIF -> "gif";
            case BMP -> "bmp";
            case TIFF -> "tiff";
            case PNM -> "pnm";
        };
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(name);
        if (!it.hasNext()) {
            throw new ImageDecodeException(file, Reason.UNSUPPORTED, "no ImageIO reader for " + fmt);
        }
        return it.next();
    }

    /** A reader that failed may hold half-parsed native state: drop it rather than reuse it. */
    private static void release(ImageFormat fmt, ImageReader reader, boolean ok) {
        if (ok) {
            reader.reset();
            READERS.get().put(fmt, reader);
        } else {
            reader.dispose();
        }
    }

    private static boolean isTruncation(String msg) {
        String m = msg.toLowerCase(Locale.ROOT);
        return m.contains("premature end") || m.contains("truncated") || m.contains("unexpected end");
    }

    private static ImageDecodeException classify(Path file, ImageFormat fmt, Throwable e, List<String> warnings) {
        if (e instanceof ImageDecodeException ide) {
            return ide;
        }
        String msg = String.valueOf(e.getMessage());
        String lower = msg.toLowerCase(Locale.ROOT);
        boolean truncated = e instanceof EOFException || e.getCause() instanceof EOFException
                || isTruncation(msg) || warnings.stream().anyMatch(ImageIoDecoder::isTruncation);
        Reason r;
        if (truncated) {
            r = Reason.TRUNCATED;
        } else if (lower.contains("unsupported") || lower.contains("not supported")) {
            r = Reason.UNSUPPORTED;
        } else {
            r = Reason.CORRUPT;
        }
        String detail = fmt + " decoder: " + e.getClass().getSimpleName() + ": " + msg;
        return new ImageDecodeException(file, r, detail, e);
    }

    /**
     * The JPEG reader's usual layout, BGR triples: swapped with constant offsets, which the JIT unrolls, instead of
     * the general loop's band-offset lookups (that loop cost about a quarter of a 256-px photo's decode).
     */
    private static void bgrToRgb(byte[] data, int ss, int w, int h, byte[] out) {
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = y * ss;
            int end = p + 3 * w;
            for (; p < end; p += 3, o += 3) {
                out[o] = data[p + 2];
                out[o + 1] = data[p + 1];
                out[o + 2] = data[p];
            }
        }
    }

    /** Copies a decoded BufferedImage into the project's layout without per-pixel getRGB calls where avoidable. */
    static DecodedImage toDecoded(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster r = img.getRaster();
        int type = img.getType();
        if ((type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_3BYTE_BGR)
                && r.getSampleModel() instanceof ComponentSampleModel sm
                && r.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0) {
            byte[] data = db.getData();
            int ps = sm.getPixelStride();
            int ss = sm.getScanlineStride();
            int[] offs = sm.getBandOffsets();
            int c = type == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
            byte[] out = new byte[w * h * c];
            if (c == 3 && ps == 3 && offs[0] == 2 && offs[1] == 1 && offs[2] == 0) {
                bgrToRgb(data, ss, w, h, out);
                return new DecodedImage(w, h, c, out);
            }
            int o = 0;
            for (int y = 0; y < h; y++) {
                int p = y * ss;
                if (c == 1 && ps == 1) {
                    System.arraycopy(data, p + offs[0], out, o, w);
                    o += w;
                    continue;
                }
                for (int x = 0; x < w; x++, p += ps) {
                    for (int k = 0; k < c; k++) {
                        out[o++] = data[p + offs[k]];
                    }
                }
            }
            return new DecodedImage(w, h, c, out);
        }
        ColorSpace cs = img.getColorModel().getColorSpace();
        if (cs.getType() == ColorSpace.TYPE_GRAY && !(img.getColorModel() instanceof java.awt.image.IndexColorModel)) {
            int bits = img.getColorModel().getComponentSize(0);
            int[] s = r.getSamples(r.getMinX(), r.getMinY(), w, h, 0, (int[]) null);
            byte[] out = new byte[w * h];
            int max = (1 << bits) - 1;
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (bits == 16 ? s[i] >>> 8 : bits == 8 ? s[i] : (s[i] * 255 + max / 2) / max);
            }
            return new DecodedImage(w, h, 1, out);
        }
        if (cs.getType() == ColorSpace.TYPE_CMYK && r.getNumBands() == 4) {
            // ImageIO's CMYK-to-sRGB conversion gives colours far from what PIL (the reference) produces; use PIL's
            // profile-free rule R = (255 - C)(255 - K) / 255, likewise G and B.
            int[] px = r.getPixels(r.getMinX(), r.getMinY(), w, h, (int[]) null);
            byte[] out = new byte[w * h * 3];
            for (int i = 0, o = 0; i < px.length; i += 4) {
                int nk = 255 - px[i + 3];
                out[o++] = (byte) (((255 - px[i]) * nk + 127) / 255);
                out[o++] = (byte) (((255 - px[i + 1]) * nk + 127) / 255);
                out[o++] = (byte) (((255 - px[i + 2]) * nk + 127) / 255);
            }
            return new DecodedImage(w, h, 3, out);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 3];
        for (int i = 0, o = 0; i < argb.length; i++) {
            int v = argb[i];
            out[o++] = (byte) (v >>> 16);
            out[o++] = (byte) (v >>> 8);
            out[o++] = (byte) v;
        }
        return new DecodedImage(w, h, 3, out);
    }
}
