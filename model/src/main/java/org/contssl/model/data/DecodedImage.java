package org.contssl.model.data;

import java.util.Arrays;

/**
 * A decoded 8-bit image: {@code channels} is 1 (grey) or 3 (RGB), pixels interleaved row-major
 * ({@code pixels[(y * width + x) * channels + c]}). Alpha is dropped without compositing, as PIL's
 * {@code convert("RGB")} does in the reference loader. Instances are immutable by convention: the pool shares one
 * decoded image between both views and the cache, so nobody may write into {@link #pixels()}.
 */
public final class DecodedImage {

    private final int width;
    private final int height;
    private final int channels;
    private final byte[] pixels;

    public DecodedImage(int width, int height, int channels, byte[] pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (pixels.length != (long) width * height * channels) {
            throw new IllegalArgumentException("pixel array has " + pixels.length + " bytes, expected "
                    + (long) width * height * channels + " for " + width + "x" + height + "x" + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = pixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    /** The backing array (not copied, do not modify). */
    public byte[] pixels() {
        return pixels;
    }

    /** Unsigned value of one sample. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    /** Approximate heap footprint, used by the decoded-image cache. */
    public long sizeInBytes() {
        return pixels.length + 64L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedImage d && d.width == width && d.height == height && d.channels == channels
                && Arrays.equals(d.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * width + height) + channels) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "DecodedImage[" + width + "x" + height + "x" + channels + "]";
    }
}
