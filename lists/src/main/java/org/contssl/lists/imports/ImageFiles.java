package org.contssl.lists.imports;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Small helpers for image files: which names count as images, and decoding one to a {@link Raster8}. */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** JPEG or PNG by extension (case-insensitive), the formats the folder importer accepts. */
    public static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** Decodes a PNG/JPEG into grey (for grey sources) or RGB samples. Not for hot paths: used when rendering clips. */
    public static Raster8 decode(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("not a decodable image: " + file);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] src = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            if (src.length == w * h) {
                return new Raster8(w, h, 1, src.clone());
            }
        }
        boolean grey = img.getColorModel().getNumColorComponents() == 1;
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        if (grey) {
            byte[] g = new byte[w * h];
            for (int i = 0; i < g.length; i++) {
                g[i] = (byte) (argb[i] & 0xff);
            }
            return new Raster8(w, h, 1, g);
        }
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
            int p = argb[i];
            rgb[o] = (byte) (p >>> 16);
            rgb[o + 1] = (byte) (p >>> 8);
            rgb[o + 2] = (byte) p;
        }
        return new Raster8(w, h, 3, rgb);
    }
}
