package org.contssl.model.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

/** Test fixtures: images with known pixels written through ImageIO (an encoder independent of our decoder). */
final class TestImages {

    private TestImages() {
    }

    /** Gradient plus noise so that PNG's adaptive filter picks several filter types. */
    static DecodedImage pattern(int w, int h, int channels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[w * h * channels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    int v = (x * 255 / Math.max(1, w - 1) + c * 70 + (y % 5 == 0 ? r.nextInt(256) : r.nextInt(9)))
                            & 0xFF;
                    px[(y * w + x) * channels + c] = (byte) v;
                }
            }
        }
        return new DecodedImage(w, h, channels, px);
    }

    static BufferedImage toBuffered(DecodedImage img) {
        int w = img.width();
        int h = img.height();
        BufferedImage bi = new BufferedImage(w, h, img.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = bi.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < img.channels(); c++) {
                    r.setSample(x, y, c, img.get(x, y, c));
                }
            }
        }
        return bi;
    }

    static Path write(DecodedImage img, String format, Path file) throws IOException {
        if (!ImageIO.write(toBuffered(img), format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return file;
    }
}
