package org.contssl.lists.imports;

/**
 * An 8-bit image in memory: {@code channels} = 1 (grey) or 3 (RGB), samples interleaved row-major. Plain arrays so
 * rendering and encoding stay cheap.
 */
public record Raster8(int width, int height, int channels, byte[] data) {

    public Raster8 {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (data.length != width * height * channels) {
            throw new IllegalArgumentException("data has " + data.length + " bytes, expected " + width * height * channels);
        }
    }

    public static Raster8 blank(int width, int height, int channels) {
        return new Raster8(width, height, channels, new byte[width * height * channels]);
    }

    public boolean sameShape(Raster8 o) {
        return width == o.width && height == o.height && channels == o.channels;
    }

    /** Mean absolute difference of all samples, on the 0..255 scale; images must have the same shape. */
    public double meanAbsDiff(Raster8 o) {
        if (!sameShape(o)) {
            throw new IllegalArgumentException("shapes differ: " + this + " vs " + o);
        }
        long sum = 0;
        byte[] a = data;
        byte[] b = o.data;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return a.length == 0 ? 0 : (double) sum / a.length;
    }

    @Override
    public String toString() {
        return "Raster8[" + width + "x" + height + "x" + channels + "]";
    }
}
