package org.contssl.jobs;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small class-folder tree of real PNG files for pipeline tests: each class draws stripes at its own angle and
 * frequency with per-image phase and noise, so classes are learnable but images differ.
 */
public final class TestImageTree {

    private TestImageTree() {
    }

    public static Path create(Path root, int classes, int perClass, int size, long seed) throws IOException {
        Random random = new Random(seed);
        for (int c = 0; c < classes; c++) {
            Path dir = Files.createDirectories(root.resolve(String.format("class_%02d", c)));
            double angle = Math.PI * c / classes;
            double freq = 0.25 + 0.08 * (c % 3);
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
                double phase = random.nextDouble() * 2 * Math.PI;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double t = (x * Math.cos(angle) + y * Math.sin(angle)) * freq + phase;
                        int v = (int) (128 + 90 * Math.sin(t) + random.nextGaussian() * 12);
                        img.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, v)));
                    }
                }
                ImageIO.write(img, "png", dir.resolve(String.format("img_%04d.png", i)).toFile());
            }
        }
        return root;
    }
}
