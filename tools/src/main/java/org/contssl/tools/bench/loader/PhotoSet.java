package org.contssl.tools.bench.loader;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.contssl.core.AtomicFiles;
import org.contssl.model.data.DecodedImage;
import org.contssl.model.data.ImageDecodeException;
import org.contssl.model.data.ImageDecoder;

/**
 * The loader benchmark's inputs: real photos (Debian's {@code visp-images-data} plus any directory given) re-encoded
 * once as RGB JPEGs at a 256-px short side — the shape the reference's ImageNet-style lists point to
 * (docs/reference-system.md §4) — into a cache directory that later runs reuse.
 */
public final class PhotoSet {

    static final String DEBIAN_PACKAGE = "visp-images-data";
    /** Sources smaller than this on their short side are icons or test patterns, not photos. */
    private static final int MIN_SHORT_SIDE = 96;
    private static final float JPEG_QUALITY = 0.9f;

    private PhotoSet() {
    }

    /**
     * Candidate photo files: every JPEG/PNG/PPM/PGM that {@code dpkg -L visp-images-data} lists, plus those under
     * {@code extraDirs}; sorted for a stable order.
     */
    static List<Path> sources(List<Path> extraDirs) throws IOException {
        List<Path> out = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("dpkg", "-L", DEBIAN_PACKAGE).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                text.lines().map(Path::of).filter(PhotoSet::isPhotoName).filter(Files::isRegularFile).forEach(out::add);
            }
        } catch (IOException e) {
            // no dpkg (not Debian): only the extra directories count
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing " + DEBIAN_PACKAGE, e);
        }
        for (Path dir : extraDirs) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).filter(PhotoSet::isPhotoName).forEach(out::add);
            }
        }
        out.sort(null);
        return out;
    }

    private static boolean isPhotoName(Path p) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".ppm")
                || n.endsWith(".pgm");
    }

    /**
     * The cached 256-px JPEG of each usable source (at most {@code max}), made on first use. Sources that do not
     * decode or are smaller than {@value #MIN_SHORT_SIDE} px are skipped.
     */
    static List<Path> prepare(List<Path> sources, Path cacheDir, int shortSide, int max) throws IOException {
        Files.createDirectories(cacheDir);
        ImageDecoder decoder = new ImageDecoder();
        List<Path> out = new ArrayList<>();
        for (Path src : sources) {
            if (out.size() >= max) {
                break;
            }
            String key = Integer.toHexString(src.toAbsolutePath().toString().hashCode()) + "-"
                    + stem(src) + "-" + shortSide + ".jpg";
            Path target = cacheDir.resolve(key);
            Path skipped = cacheDir.resolve(key + ".skip");
            if (Files.isRegularFile(target)) {
                out.add(target);
                continue;
            }
            if (Files.exists(skipped)) {
                continue;
            }
            DecodedImage img;
            try {
                img = decoder.decode(src);
            } catch (ImageDecodeException e) {
                Files.writeString(skipped, e.getMessage());
                continue;
            }
            if (Math.min(img.width(), img.height()) < MIN_SHORT_SIDE) {
                Files.writeString(skipped, "short side below " + MIN_SHORT_SIDE);
                continue;
            }
            BufferedImage scaled = resize(toRgb(img), shortSide);
            AtomicFiles.write(target, (OutputStream os) -> writeJpeg(scaled, os));
            out.add(target);
        }
        return out;
    }

    /**
     * Distinct 256-px JPEGs for an end-to-end training stream: {@code perPhoto} crops of each usable source (80 % of
     * each side, at the four corners and the centre in turn), so no two stream records are the same file and a
     * decoded-image cache cannot make the stream cheaper than a real one; from the first {@code maxPhotos} usable
     * sources. Made once into {@code dir}.
     */
    public static List<Path> crops(Path dir, int perPhoto, int maxPhotos) throws IOException {
        Files.createDirectories(dir);
        ImageDecoder decoder = new ImageDecoder();
        List<Path> out = new ArrayList<>();
        for (Path src : sources(List.of())) {
            if (out.size() >= perPhoto * maxPhotos) {
                break;
            }
            DecodedImage img;
            try {
                img = decoder.decode(src);
            } catch (ImageDecodeException e) {
                continue;
            }
            if (Math.min(img.width(), img.height()) < MIN_SHORT_SIDE) {
                continue;
            }
            BufferedImage rgb = null;
            for (int k = 0; k < perPhoto; k++) {
                Path target = dir.resolve(Integer.toHexString(src.toAbsolutePath().toString().hashCode()) + "-"
                        + stem(src) + "-crop" + k + ".jpg");
                if (!Files.isRegularFile(target)) {
                    rgb = rgb != null ? rgb : toRgb(img);
                    int w = rgb.getWidth() * 4 / 5, h = rgb.getHeight() * 4 / 5;
                    int corner = k % 5;
                    int x = corner == 4 ? (rgb.getWidth() - w) / 2 : (corner % 2) * (rgb.getWidth() - w);
                    int y = corner == 4 ? (rgb.getHeight() - h) / 2 : (corner / 2) * (rgb.getHeight() - h);
                    BufferedImage scaled = resize(rgb.getSubimage(x, y, w, h), LoaderBenchmark.SHORT_SIDE);
                    AtomicFiles.write(target, (OutputStream os) -> writeJpeg(scaled, os));
                }
                out.add(target);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no photos: install Debian's " + DEBIAN_PACKAGE
                    + " (apt-get install -y " + DEBIAN_PACKAGE + ")");
        }
        return out;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static BufferedImage toRgb(DecodedImage d) {
        BufferedImage bi = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
        byte[] px = d.pixels();
        int n = d.width() * d.height();
        for (int p = 0; p < n; p++) {
            byte r = d.channels() == 1 ? px[p] : px[3 * p];
            byte g = d.channels() == 1 ? px[p] : px[3 * p + 1];
            byte b = d.channels() == 1 ? px[p] : px[3 * p + 2];
            data[3 * p] = b;
            data[3 * p + 1] = g;
            data[3 * p + 2] = r;
        }
        return bi;
    }

    /**
     * Short side to {@code shortSide}: halving steps with bilinear filtering while the image is more than twice the
     * target (a single bilinear step would alias), then one bilinear step.
     */
    private static BufferedImage resize(BufferedImage img, int shortSide) {
        BufferedImage cur = img;
        while (Math.min(cur.getWidth(), cur.getHeight()) >= 2 * shortSide) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        double s = shortSide / (double) Math.min(cur.getWidth(), cur.getHeight());
        int w = Math.max(1, (int) Math.round(cur.getWidth() * s));
        int h = Math.max(1, (int) Math.round(cur.getHeight() * s));
        return w == cur.getWidth() && h == cur.getHeight() ? cur : draw(cur, w, h);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return dst;
    }

    private static void writeJpeg(BufferedImage img, OutputStream os) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(JPEG_QUALITY);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }
}
