package org.contssl.lists.stream;

import java.util.SplittableRandom;
import org.contssl.lists.imports.Raster8;

/**
 * Renders a pseudo-video clip from one still image: L frames along a smooth camera path — a slow pan (sub-pixel per
 * frame), a gentle sinusoidal wobble, a slow zoom and rotation, a brightness drift, and light sensor noise. Frame 0
 * is the source image itself (the keyframe), so a clip of length 1 is the image and {@code L = 1} equals i.i.d.
 *
 * <p>Magnitudes are totals over the clip, so a 64-frame clip moves as far as a 16-frame one but in smaller steps
 * (consecutive frames of long clips are near-duplicates, as in real video). At most: pan 12 % of the shorter side,
 * zoom ±15 %, rotation ±12°, brightness ±20 grey levels; noise σ = 2 grey levels. Sources whose shorter side
 * exceeds {@link #MAX_SHORT_SIDE} are first reduced to it ({@link #fitShortSide}), as the reference pre-resized its
 * frames to short side 256; a 12-megapixel photo would otherwise give 12-megapixel frames.
 */
public final class ClipRenderer {

    static final double MAX_PAN = 0.12;
    static final double MAX_WOBBLE = 0.02;
    static final double MAX_LOG_ZOOM = Math.log(1.15);
    static final double MAX_ROTATION = Math.toRadians(12);
    static final double MAX_BRIGHTNESS = 20;
    static final double NOISE_SIGMA = 2.0;
    public static final int MAX_SHORT_SIDE = 256;

    /** One clip's camera path; all amounts are totals reached at the last frame. */
    public record Camera(double panX, double panY, double wobble, double wobbleCycles, double phaseX, double phaseY,
                         double logZoom, double rotation, double brightness) {

        /** Draws a camera path for an image of the given size from {@code seed}. */
        public static Camera draw(long seed, int width, int height) {
            SplittableRandom r = new SplittableRandom(seed);
            double side = Math.min(width, height);
            return new Camera(
                    (r.nextDouble() * 2 - 1) * MAX_PAN * side,
                    (r.nextDouble() * 2 - 1) * MAX_PAN * side,
                    r.nextDouble() * MAX_WOBBLE * side,
                    0.5 + r.nextDouble(),
                    r.nextDouble() * 2 * Math.PI,
                    r.nextDouble() * 2 * Math.PI,
                    (r.nextDouble() * 2 - 1) * MAX_LOG_ZOOM,
                    (r.nextDouble() * 2 - 1) * MAX_ROTATION,
                    (r.nextDouble() * 2 - 1) * MAX_BRIGHTNESS);
        }
    }

    private ClipRenderer() {
    }

    /**
     * Frame {@code t} (0-based) of a clip of {@code length} frames. Frame 0 returns {@code src} unchanged.
     *
     * @param noiseSeed seed of this frame's noise (derive it from the clip and frame index)
     */
    public static Raster8 frame(Raster8 src, Camera cam, int t, int length, long noiseSeed) {
        if (t == 0 || length <= 1) {
            return src;
        }
        double u = (double) t / (length - 1);
        double w = 2 * Math.PI * cam.wobbleCycles() * u;
        // the wobble starts at 0 so the path leaves the keyframe smoothly
        double tx = cam.panX() * u + cam.wobble() * (Math.sin(w + cam.phaseX()) - Math.sin(cam.phaseX()));
        double ty = cam.panY() * u + cam.wobble() * (Math.sin(w + cam.phaseY()) - Math.sin(cam.phaseY()));
        double scale = Math.exp(cam.logZoom() * u);
        double theta = cam.rotation() * u;
        double bright = cam.brightness() * u;

        int width = src.width();
        int height = src.height();
        int ch = src.channels();
        byte[] in = src.data();
        byte[] out = new byte[in.length];
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        double cos = Math.cos(theta) / scale;
        double sin = Math.sin(theta) / scale;
        SplittableRandom noise = new SplittableRandom(noiseSeed);
        for (int y = 0; y < height; y++) {
            double dy = y - cy - ty;
            for (int x = 0; x < width; x++) {
                double dx = x - cx - tx;
                // inverse map: rotate by -theta and unscale to find where this output pixel comes from
                double sx = cos * dx + sin * dy + cx;
                double sy = -sin * dx + cos * dy + cy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double fx = sx - x0;
                double fy = sy - y0;
                int xa = clamp(x0, width);
                int xb = clamp(x0 + 1, width);
                int ya = clamp(y0, height);
                int yb = clamp(y0 + 1, height);
                for (int c = 0; c < ch; c++) {
                    double v00 = in[(ya * width + xa) * ch + c] & 0xff;
                    double v10 = in[(ya * width + xb) * ch + c] & 0xff;
                    double v01 = in[(yb * width + xa) * ch + c] & 0xff;
                    double v11 = in[(yb * width + xb) * ch + c] & 0xff;
                    double v = (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
                    v += bright + NOISE_SIGMA * noise.nextGaussian();
                    out[(y * width + x) * ch + c] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                }
            }
        }
        return new Raster8(width, height, ch, out);
    }

    /** Area-average downscale so the shorter side is at most {@code maxShort}; smaller images are returned as is. */
    public static Raster8 fitShortSide(Raster8 src, int maxShort) {
        int w = src.width();
        int h = src.height();
        int shortSide = Math.min(w, h);
        if (shortSide <= maxShort) {
            return src;
        }
        double f = (double) shortSide / maxShort;
        int ow = Math.max(1, (int) Math.round(w / f));
        int oh = Math.max(1, (int) Math.round(h / f));
        int ch = src.channels();
        byte[] in = src.data();
        byte[] out = new byte[ow * oh * ch];
        long[] acc = new long[ch];
        for (int y = 0; y < oh; y++) {
            int y0 = (int) ((long) y * h / oh);
            int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * h / oh));
            for (int x = 0; x < ow; x++) {
                int x0 = (int) ((long) x * w / ow);
                int x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * w / ow));
                java.util.Arrays.fill(acc, 0);
                for (int yy = y0; yy < y1; yy++) {
                    for (int xx = x0; xx < x1; xx++) {
                        int o = (yy * w + xx) * ch;
                        for (int c = 0; c < ch; c++) {
                            acc[c] += in[o + c] & 0xff;
                        }
                    }
                }
                int n = (y1 - y0) * (x1 - x0);
                for (int c = 0; c < ch; c++) {
                    out[(y * ow + x) * ch + c] = (byte) ((acc[c] + n / 2) / n);
                }
            }
        }
        return new Raster8(ow, oh, ch, out);
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : (v >= n ? n - 1 : v);
    }
}
