package org.contssl.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.contssl.model.data.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    // ---------------------------------------------------------------- PNG variants against the pixels we wrote

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void png8BitMatchesWrittenPixels(int channels) throws Exception {
        DecodedImage src = TestImages.pattern(37, 23, channels, 7);
        Path f = TestImages.write(src, "png", dir.resolve("a.png"));
        assertThat(decoder.decode(f)).isEqualTo(src);
    }

    @Test
    void pngSixteenBitGreyKeepsTheHighByte() throws Exception {
        BufferedImage bi = new BufferedImage(19, 11, BufferedImage.TYPE_USHORT_GRAY);
        int[] v = fill(bi.getRaster(), 1, 65536, 3);
        DecodedImage d = decoder.decode(writePng(bi, false));
        assertThat(d.channels()).isEqualTo(1);
        for (int i = 0; i < v.length; i++) {
            assertThat(d.pixels()[i] & 0xFF).isEqualTo(v[i] >>> 8);
        }
    }

    @Test
    void pngSixteenBitRgbKeepsTheHighByte() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        BufferedImage bi = new BufferedImage(cm, cm.createCompatibleWritableRaster(13, 9), false, null);
        int[] v = fill(bi.getRaster(), 3, 65536, 4);
        DecodedImage d = decoder.decode(writePng(bi, false));
        assertThat(d.channels()).isEqualTo(3);
        for (int i = 0; i < v.length; i++) {
            assertThat(d.pixels()[i] & 0xFF).isEqualTo(v[i] >>> 8);
        }
    }

    @Test
    void pngAlphaIsDropped() throws Exception {
        BufferedImage rgba = new BufferedImage(17, 8, BufferedImage.TYPE_4BYTE_ABGR);
        int[] v = fill(rgba.getRaster(), 4, 256, 5);
        assertThat(colorType(writePng(rgba, false))).isEqualTo(6);
        DecodedImage d = decoder.decode(dir.resolve("img.png"));
        assertThat(d.channels()).isEqualTo(3);
        for (int p = 0; p < 17 * 8; p++) {
            for (int c = 0; c < 3; c++) {
                assertThat(d.pixels()[p * 3 + c] & 0xFF).isEqualTo(v[p * 4 + c]);
            }
        }

        ComponentColorModel ga = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        BufferedImage grey = new BufferedImage(ga, ga.createCompatibleWritableRaster(15, 6), false, null);
        int[] g = fill(grey.getRaster(), 2, 256, 6);
        Path f = writePng(grey, false);
        assertThat(colorType(f)).isEqualTo(4);
        DecodedImage dg = decoder.decode(f);
        assertThat(dg.channels()).isEqualTo(1);
        for (int p = 0; p < 15 * 6; p++) {
            assertThat(dg.pixels()[p] & 0xFF).isEqualTo(g[2 * p]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void palettePngExpandsToRgb(int bits) throws Exception {
        int n = 1 << bits;
        SplittableRandom r = new SplittableRandom(bits);
        byte[] red = new byte[n];
        byte[] green = new byte[n];
        byte[] blue = new byte[n];
        for (int i = 0; i < n; i++) {
            red[i] = (byte) r.nextInt(256);
            green[i] = (byte) r.nextInt(256);
            blue[i] = (byte) r.nextInt(256);
        }
        IndexColorModel cm = new IndexColorModel(bits, n, red, green, blue);
        BufferedImage bi = bits == 8 ? new BufferedImage(21, 7, BufferedImage.TYPE_BYTE_INDEXED, cm)
                : new BufferedImage(21, 7, BufferedImage.TYPE_BYTE_BINARY, cm);
        int[] idx = fill(bi.getRaster(), 1, n, 8 + bits);
        Path f = writePng(bi, false);
        assertThat(colorType(f)).isEqualTo(3);
        assertThat(bitDepth(f)).isEqualTo(bits);
        DecodedImage d = decoder.decode(f);
        assertThat(d.channels()).isEqualTo(3);
        for (int p = 0; p < idx.length; p++) {
            assertThat(d.pixels()[3 * p] & 0xFF).isEqualTo(red[idx[p]] & 0xFF);
            assertThat(d.pixels()[3 * p + 1] & 0xFF).isEqualTo(green[idx[p]] & 0xFF);
            assertThat(d.pixels()[3 * p + 2] & 0xFF).isEqualTo(blue[idx[p]] & 0xFF);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void lowBitGreyPngScalesTo255(int bits) throws Exception {
        int n = 1 << bits;
        byte[] ramp = new byte[n];
        for (int i = 0; i < n; i++) {
            ramp[i] = (byte) (i * 255 / (n - 1));
        }
        IndexColorModel cm = new IndexColorModel(bits, n, ramp, ramp, ramp);
        BufferedImage bi = new BufferedImage(27, 5, BufferedImage.TYPE_BYTE_BINARY, cm);
        int[] idx = fill(bi.getRaster(), 1, n, 20 + bits);
        Path f = writePng(bi, false);
        assertThat(colorType(f)).isEqualTo(0); // ImageIO writes a grey ramp palette as plain grey
        assertThat(bitDepth(f)).isEqualTo(bits);
        DecodedImage d = decoder.decode(f);
        assertThat(d.channels()).isEqualTo(1);
        for (int p = 0; p < idx.length; p++) {
            assertThat(d.pixels()[p] & 0xFF).isEqualTo(ramp[idx[p]] & 0xFF);
        }
    }

    @Test
    void interlacedPngGoesThroughImageIo() throws Exception {
        DecodedImage src = TestImages.pattern(29, 17, 3, 9);
        Path f = writePng(TestImages.toBuffered(src), true);
        assertThat(Files.readAllBytes(f)[28]).isEqualTo((byte) 1);
        assertThat(decoder.decode(f)).isEqualTo(src);
    }

    @Test
    void pngFastPathAgreesWithImageIoOnManyImages() throws Exception {
        for (int i = 0; i < 20; i++) {
            DecodedImage src = TestImages.pattern(5 + i * 3, 3 + i, i % 2 == 0 ? 1 : 3, 100 + i);
            Path f = TestImages.write(src, "png", dir.resolve("m" + i + ".png"));
            assertThat(decoder.decode(f)).isEqualTo(ImageIoDecoder.toDecoded(ImageIO.read(f.toFile())));
        }
    }

    // ---------------------------------------------------------------- other formats

    @Test
    void pgmAndPpmBinaryAndAscii() throws Exception {
        Path p5 = dir.resolve("a.pgm");
        byte[] head = "P5\n# a comment\n3 2\n255\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body = {0, 10, (byte) 200, (byte) 255, 1, 2};
        Files.write(p5, concat(head, body));
        assertThat(decoder.decode(p5)).isEqualTo(new DecodedImage(3, 2, 1, body));

        Path p6 = dir.resolve("a.ppm");
        byte[] rgb = {1, 2, 3, 4, 5, 6};
        Files.write(p6, concat("P6 2 1 255 ".getBytes(StandardCharsets.US_ASCII), rgb));
        assertThat(decoder.decode(p6)).isEqualTo(new DecodedImage(2, 1, 3, rgb));

        // 16-bit samples, maxval 1000: scaled to 0..255 with rounding.
        Path p16 = dir.resolve("b.pgm");
        Files.write(p16, concat("P5 2 1 1000\n".getBytes(StandardCharsets.US_ASCII), new byte[]{0x01, (byte) 0xF4,
            0x03, (byte) 0xE8}));
        assertThat(decoder.decode(p16).pixels()).containsExactly((byte) 128, (byte) 255);

        Path p2 = dir.resolve("c.pgm");
        Files.writeString(p2, "P2\n2 2\n15\n0 15\n# c\n5 10\n");
        assertThat(decoder.decode(p2).pixels()).containsExactly((byte) 0, (byte) 255, (byte) 85, (byte) 170);
        Path p3 = dir.resolve("c.ppm");
        Files.writeString(p3, "P3 1 1 255 9 8 7");
        assertThat(decoder.decode(p3)).isEqualTo(new DecodedImage(1, 1, 3, new byte[]{9, 8, 7}));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void jpegDecodesCloseToItsSource(int channels) throws Exception {
        DecodedImage src = smooth(64, 48, channels);
        Path f = TestImages.write(src, "jpeg", dir.resolve("a.jpg"));
        DecodedImage d = decoder.decode(f);
        assertThat(d.channels()).isEqualTo(channels);
        assertThat(d.width()).isEqualTo(64);
        assertThat(meanAbsDiff(src, d)).isLessThan(3.0);
    }

    @Test
    void cmykJpegUsesPilsConversion() throws Exception {
        // Fixture written by PIL 9.4: Image.new('CMYK', (40, 30), (10, 200, 30, 5)).save(..., quality=90).
        Path f = dir.resolve("cmyk.jpg");
        try (var in = getClass().getResourceAsStream("cmyk-40x30.jpg")) {
            Files.write(f, in.readAllBytes());
        }
        DecodedImage d = decoder.decode(f);
        assertThat(d.channels()).isEqualTo(3);
        int nk = 255 - 5;
        assertThat(d.get(20, 15, 0)).isCloseTo((255 - 10) * nk / 255, org.assertj.core.api.Assertions.within(3));
        assertThat(d.get(20, 15, 1)).isCloseTo((255 - 200) * nk / 255, org.assertj.core.api.Assertions.within(3));
        assertThat(d.get(20, 15, 2)).isCloseTo((255 - 30) * nk / 255, org.assertj.core.api.Assertions.within(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gif", "bmp", "tiff"})
    void otherImageIoFormats(String fmt) throws Exception {
        DecodedImage src = TestImages.pattern(12, 9, 3, 11);
        Path f = TestImages.write(src, fmt, dir.resolve("a." + fmt));
        DecodedImage d = decoder.decode(f);
        assertThat(d.width()).isEqualTo(12);
        assertThat(d.height()).isEqualTo(9);
        if (!fmt.equals("gif")) { // GIF is palette-quantised by the writer
            assertThat(d).isEqualTo(src);
        }
    }

    // ---------------------------------------------------------------- every failure reason, with real files

    @Test
    void missingFileAndDirectory() throws Exception {
        assertReason(dir.resolve("nope.png"), Reason.MISSING);
        assertReason(dir, Reason.MISSING);
        Path file = TestImages.write(TestImages.pattern(4, 4, 1, 1), "png", dir.resolve("a.png"));
        assertReason(file.resolve("under-a-file.png"), Reason.MISSING);
    }

    @Test
    void emptyFile() throws Exception {
        assertReason(Files.createFile(dir.resolve("empty.png")), Reason.EMPTY);
    }

    @Test
    void notAnImage() throws Exception {
        assertReason(Files.writeString(dir.resolve("notes.png"), "hello, this is text\n"), Reason.NOT_AN_IMAGE);
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);
        assertReason(Files.write(dir.resolve("a.webp"), webp), Reason.UNSUPPORTED);
        assertReason(Files.writeString(dir.resolve("a.pbm"), "P4 8 1 \u0001"), Reason.UNSUPPORTED);
    }

    @Test
    void truncatedPngAtEveryRegion() throws Exception {
        DecodedImage src = TestImages.pattern(40, 40, 3, 1);
        byte[] full = Files.readAllBytes(TestImages.write(src, "png", dir.resolve("full.png")));
        for (int cut : new int[]{10, 30, 40, full.length / 3, full.length / 2, full.length - 30}) {
            Path f = Files.write(dir.resolve("cut" + cut + ".png"), Arrays.copyOf(full, cut));
            assertReason(f, Reason.TRUNCATED);
        }
    }

    @Test
    void truncatedJpegAndPnm() throws Exception {
        byte[] jpg = Files.readAllBytes(TestImages.write(smooth(64, 64, 3), "jpeg", dir.resolve("a.jpg")));
        for (int cut : new int[]{5, 100, jpg.length / 2, jpg.length - 2}) {
            assertReason(Files.write(dir.resolve("cut" + cut + ".jpg"), Arrays.copyOf(jpg, cut)), Reason.TRUNCATED);
        }
        Path pgm = Files.write(dir.resolve("cut.pgm"), concat("P5 4 4 255\n".getBytes(StandardCharsets.US_ASCII),
                new byte[10]));
        assertReason(pgm, Reason.TRUNCATED);
        assertReason(Files.writeString(dir.resolve("cut2.pgm"), "P5 4 "), Reason.TRUNCATED);
    }

    @Test
    void corruptPngFailsItsCrc() throws Exception {
        byte[] png = Files.readAllBytes(TestImages.write(TestImages.pattern(30, 30, 1, 2), "png",
                dir.resolve("a.png")));
        byte[] bad = png.clone();
        bad[png.length - 30] ^= 0x55; // inside the IDAT payload
        assertReason(Files.write(dir.resolve("bad.png"), bad), Reason.CORRUPT);
    }

    @Test
    void headerDeclaringTenGigapixelsIsRejectedBeforeAllocation() throws Exception {
        Path png = Files.write(dir.resolve("bomb.png"), pngWithHeader(100_000, 100_000));
        ImageDecodeException e = assertReason(png, Reason.TOO_LARGE);
        assertThat(e.getMessage()).contains("100000x100000");
        assertThatThrownBy(() -> decoder.probe(png)).isInstanceOf(ImageDecodeException.class)
                .extracting(t -> ((ImageDecodeException) t).reason()).isEqualTo(Reason.TOO_LARGE);

        byte[] jpg = Files.readAllBytes(TestImages.write(smooth(16, 16, 3), "jpeg", dir.resolve("s.jpg")));
        int sof = indexOfMarker(jpg, 0xC0);
        jpg[sof + 5] = (byte) 0xEA; // height 60000
        jpg[sof + 6] = 0x60;
        jpg[sof + 7] = (byte) 0xEA; // width 60000
        jpg[sof + 8] = 0x60;
        assertReason(Files.write(dir.resolve("bomb.jpg"), jpg), Reason.TOO_LARGE);
    }

    @Test
    void configurableLimitsRejectRealImages() throws Exception {
        Path f = TestImages.write(TestImages.pattern(100, 100, 1, 3), "png", dir.resolve("a.png"));
        ImageDecoder small = new ImageDecoder(9_999, 1 << 20);
        assertThat(assertReasonWith(small, f, Reason.TOO_LARGE).getMessage()).contains("limit 9999");
        ImageDecoder tinyFiles = new ImageDecoder(1 << 20, 100);
        assertReasonWith(tinyFiles, f, Reason.TOO_LARGE);
        assertThat(new ImageDecoder(10_000, 1 << 20).decode(f).width()).isEqualTo(100);
    }

    @Test
    void probeReadsHeadersOnly() throws Exception {
        Path png = TestImages.write(TestImages.pattern(31, 17, 3, 1), "png", dir.resolve("a.png"));
        assertThat(decoder.probe(png)).isEqualTo(new ImageInfo(ImageFormat.PNG, 31, 17, 3));
        Path jpg = TestImages.write(smooth(33, 21, 1), "jpeg", dir.resolve("a.jpg"));
        assertThat(decoder.probe(jpg)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 33, 21, 1));
        Path bmp = TestImages.write(TestImages.pattern(7, 5, 3, 1), "bmp", dir.resolve("a.bmp"));
        assertThat(decoder.probe(bmp).width()).isEqualTo(7);
    }

    @Test
    void messagesAreOneLineAndNameTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("weird name.png"), "x\ny\n");
        ImageDecodeException e = assertReason(f, Reason.NOT_AN_IMAGE);
        assertThat(e.getMessage()).doesNotContain("\n").contains(f.toString()).contains("drop it from the list");
        assertThat(e.file()).isEqualTo(f);
    }

    // ---------------------------------------------------------------- helpers

    private ImageDecodeException assertReason(Path f, Reason r) {
        return assertReasonWith(decoder, f, r);
    }

    private static ImageDecodeException assertReasonWith(ImageDecoder d, Path f, Reason r) {
        try {
            d.decode(f);
        } catch (ImageDecodeException e) {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(r);
            assertThat(e.getMessage()).doesNotContain("\n").contains(f.toString());
            return e;
        }
        throw new AssertionError("expected " + r + " for " + f);
    }

    private static int[] fill(WritableRaster r, int bands, int range, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] v = new int[r.getWidth() * r.getHeight() * bands];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(range);
        }
        r.setPixels(0, 0, r.getWidth(), r.getHeight(), v);
        return v;
    }

    private Path writePng(BufferedImage bi, boolean interlaced) throws IOException {
        Path f = dir.resolve("img.png");
        Files.deleteIfExists(f);
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        if (interlaced) {
            p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            w.setOutput(out);
            w.write(null, new IIOImage(bi, null, null), p);
        } finally {
            w.dispose();
        }
        return f;
    }

    private static int colorType(Path png) throws IOException {
        return Files.readAllBytes(png)[25];
    }

    private static int bitDepth(Path png) throws IOException {
        return Files.readAllBytes(png)[24];
    }

    private static DecodedImage smooth(int w, int h, int c) {
        byte[] px = new byte[w * h * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    px[(y * w + x) * c + k] = (byte) (40 + x * 2 + y + k * 30);
                }
            }
        }
        return new DecodedImage(w, h, c, px);
    }

    private static double meanAbsDiff(DecodedImage a, DecodedImage b) {
        double s = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            s += Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
        }
        return s / a.pixels().length;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int indexOfMarker(byte[] b, int marker) {
        for (int i = 2; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }

    /** A signature plus a valid IHDR (grey, 8 bit) declaring w×h, a tiny IDAT and IEND: a header-level bomb. */
    private static byte[] pngWithHeader(int w, int h) {
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;
        byte[] idat = {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01};
        byte[] sig = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        return concat(concat(concat(sig, chunk("IHDR", ihdr)), chunk("IDAT", idat)), chunk("IEND", new byte[0]));
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] c = new byte[12 + data.length];
        putInt(c, 0, data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, c, 4, 4);
        System.arraycopy(data, 0, c, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(c, 4, 4 + data.length);
        putInt(c, 8 + data.length, (int) crc.getValue());
        return c;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
