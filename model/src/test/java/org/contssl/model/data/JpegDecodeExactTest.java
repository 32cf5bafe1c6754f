package org.contssl.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JPEG path's pixels are exactly the JDK reader's RGB (its own {@code getRGB}), whatever shortcut the copy out
 * of the reader's raster takes and whether the reader wrote into a reused destination image: odd and even widths,
 * colour and grey.
 */
class JpegDecodeExactTest {

    @TempDir
    Path dir;

    @Test
    void pixelsEqualTheReadersRgb() throws Exception {
        int[][] shapes = {{64, 48, 3}, {37, 29, 3}, {256, 171, 3}, {41, 23, 1}};
        ImageDecoder decoder = new ImageDecoder();
        for (int k = 0; k < 2 * shapes.length; k++) {
            // each shape twice in a row with other content: the second decode reuses the first one's destination
            int[] s = shapes[k / 2];
            Path f = TestImages.write(TestImages.pattern(s[0], s[1], s[2], k), "jpeg",
                    dir.resolve(k + ".jpg"));
            DecodedImage d = decoder.decode(f);
            BufferedImage ref = ImageIO.read(f.toFile());
            assertThat(d.channels()).isEqualTo(s[2]);
            byte[] px = d.pixels();
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    int i = (y * s[0] + x) * s[2];
                    if (s[2] == 1) {
                        assertThat(px[i] & 0xFF).isEqualTo(ref.getRaster().getSample(x, y, 0));
                    } else {
                        int rgb = ref.getRGB(x, y);
                        assertThat(new int[]{px[i] & 0xFF, px[i + 1] & 0xFF, px[i + 2] & 0xFF})
                                .as("%dx%d at %d,%d", s[0], s[1], x, y)
                                .containsExactly((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
                    }
                }
            }
        }
    }
}
