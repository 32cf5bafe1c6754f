package org.contssl.jobs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.contssl.lists.imports.FashionMnist;
import org.contssl.lists.imports.GrayImages;

/**
 * Real data laid out in the reference's own list formats: camera sequences of Debian's {@code visp-images-data} as a
 * Kinetics frame-directory list (frames re-encoded as 1-based {@code NNN.jpeg}), and Fashion-MNIST images exported
 * as PNG files in class folders for text and class-sequential lists.
 */
final class OwnDataFixture {

    static final Path VISP = Path.of("/usr/share/visp-images-data/ViSP-images");

    /** Short "videos": (sequence folder, first frame file, frames), each a run of consecutive real camera frames. */
    private static final List<String[]> CLIPS = List.of(
            new String[] {"cube", "image.%04d.pgm", "0", "12"},
            new String[] {"cube", "image.%04d.pgm", "40", "10"},
            new String[] {"ellipse-1", "image.%04d.pgm", "1", "12"},
            new String[] {"line", "image.%04d.pgm", "1", "9"},
            new String[] {"mire-2", "image.%04d.pgm", "1", "12"},
            new String[] {"mire-2", "image.%04d.pgm", "200", "11"},
            new String[] {"mire-2", "image.%04d.pgm", "400", "12"},
            new String[] {"ellipse-1", "image.%04d.pgm", "30", "12"});

    private OwnDataFixture() {
    }

    /**
     * Writes {@code base/videos/vNN/001.jpeg ...} (frames downscaled to 96 px wide) and the list
     * {@code base/kinetics.txt} of {@code videos/vNN <num_frames>} lines; returns the list.
     */
    static Path kineticsList(Path base) throws IOException {
        assumeTrue(Files.isDirectory(VISP), "needs Debian's visp-images-data (apt-get install -y visp-images-data)");
        List<String> lines = new ArrayList<>();
        for (int v = 0; v < CLIPS.size(); v++) {
            String[] c = CLIPS.get(v);
            String dir = String.format("videos/v%02d", v);
            Path out = Files.createDirectories(base.resolve(dir));
            int first = Integer.parseInt(c[2]);
            int n = Integer.parseInt(c[3]);
            for (int f = 0; f < n; f++) {
                BufferedImage frame = readPgm(VISP.resolve(c[0]).resolve(String.format(c[1], first + f)));
                ImageIO.write(scale(frame, 96), "jpeg", out.resolve(String.format("%03d.jpeg", f + 1)).toFile());
            }
            lines.add(dir + " " + n);
        }
        Path list = base.resolve("kinetics.txt");
        Files.write(list, lines, StandardCharsets.UTF_8);
        return list;
    }

    /**
     * Exports the first {@code perClass} Fashion-MNIST training images of each class as
     * {@code base/fmnist/<class>/<index>.png}; returns their paths relative to {@code base}, in index order.
     */
    static List<String> fashionMnistImages(Path base, int perClass) throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), FashionMnist.installHint(FashionMnist.DEFAULT_DIR));
        GrayImages train = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.TRAIN);
        int[] taken = new int[10];
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < train.count() && paths.size() < 10 * perClass; i++) {
            int label = train.labels()[i];
            if (taken[label]++ >= perClass) {
                continue;
            }
            String rel = "fmnist/" + FashionMnist.CLASS_FOLDERS.get(label) + String.format("/%05d.png", i);
            Path f = base.resolve(rel);
            Files.createDirectories(f.getParent());
            Files.write(f, new org.contssl.lists.imports.PngEncoder().encode(train.image(i)));
            paths.add(rel);
        }
        return paths;
    }

    /** Binary PGM (P5, 8 bit) with optional comment lines. */
    static BufferedImage readPgm(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int[] pos = {0};
        String magic = token(b, pos);
        if (!magic.equals("P5")) {
            throw new IOException(file + " is not a binary PGM");
        }
        int w = Integer.parseInt(token(b, pos));
        int h = Integer.parseInt(token(b, pos));
        int max = Integer.parseInt(token(b, pos));
        if (max > 255) {
            throw new IOException(file + " is not 8-bit");
        }
        int off = pos[0] + 1;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, b[off + y * w + x] & 0xff);
            }
        }
        return img;
    }

    private static String token(byte[] b, int[] pos) {
        while (true) {
            while (Character.isWhitespace(b[pos[0]])) {
                pos[0]++;
            }
            if (b[pos[0]] != '#') {
                break;
            }
            while (b[pos[0]] != '\n') {
                pos[0]++;
            }
        }
        int start = pos[0];
        while (!Character.isWhitespace(b[pos[0]])) {
            pos[0]++;
        }
        return new String(b, start, pos[0] - start, StandardCharsets.US_ASCII);
    }

    private static BufferedImage scale(BufferedImage src, int width) {
        int height = Math.max(1, src.getHeight() * width / src.getWidth());
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** Small pipeline settings for a bring-your-own list: grey 16 px views, conv4, no probes but the stream. */
    static List<String> overrides(Path list, Path baseDir, String type, String... extra) {
        List<String> o = new ArrayList<>(List.of(
                "data.type=" + type, "data.train_filelist=" + list, "data.base_dir=" + baseDir,
                "data.insize=16", "data.channels=1", "data.ood_probe=false",
                "model.buff_siz=32", "model.num_updates=2", "optim.batch_size=16",
                "logging.save_freq=0.25", "eval.progress=1.0",
                "lincls.imnet.optim.epochs=5", "lincls.imnet.optim.batch_size=16",
                "environment.threads=1"));
        o.addAll(List.of(extra));
        return o;
    }
}
