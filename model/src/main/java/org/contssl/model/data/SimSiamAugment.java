package org.contssl.model.data;

import java.util.SplittableRandom;

/**
 * One SimSiam view (docs/reference-system.md §4) from a decoded image, written as normalised float CHW into a caller's
 * array: RandomResizedCrop → (p) ColorJitter in random order → (p) RandomGrayscale → (p) Gaussian blur →
 * (p) horizontal flip → ToTensor + Normalize.
 *
 * <p>Everything random comes from the {@code long seed} of the view through {@link #sample}: the same image and seed
 * give the same floats on every thread and every run. Deviations from the reference's PIL pipeline, all below one
 * grey level or so: images stay float between operations (PIL rounds to uint8 after each, and between the passes
 * of its resize and blur); hue rotation uses torchvision's float HSV (PIL: 8-bit HSV). The blur is PIL's own
 * three-pass extended box approximation of a Gaussian, see {@link GaussianBlur}.
 * A grey source with RGB output is augmented on one plane and copied to three, which is exactly what the RGB path
 * computes on a grey image (saturation, hue and greyscale leave equal channels unchanged). Thread-safe.
 */
public final class SimSiamAugment {

    private static final int CROP_ATTEMPTS = 10;

    private final AugmentConfig cfg;
    private final float[] mean;
    private final float[] std;

    public SimSiamAugment(AugmentConfig cfg) {
        this.cfg = cfg;
        this.mean = cfg.mean();
        this.std = cfg.std();
    }

    public AugmentConfig config() {
        return cfg;
    }

    /** Floats written per view. */
    public int sampleLength() {
        return cfg.sampleLength();
    }

    /** Draws the view's parameters from {@code seed} and writes it to {@code out[offset .. offset+sampleLength)}. */
    public void augment(DecodedImage img, long seed, float[] out, int offset) {
        apply(img, sample(img.width(), img.height(), seed), out, offset);
    }

    /**
     * The random choices for one view of a {@code srcWidth × srcHeight} image: torchvision's RandomResizedCrop
     * sampling (area fraction uniform, aspect ratio log-uniform, 10 attempts, then the central crop clamped to the
     * ratio range), then jitter, greyscale, blur and flip draws in that fixed order.
     */
    public ViewParams sample(int srcWidth, int srcHeight, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int top = -1;
        int left = -1;
        int cw = 0;
        int ch = 0;
        double area = (double) srcWidth * srcHeight;
        double logMin = Math.log(cfg.ratioMin());
        double logMax = Math.log(cfg.ratioMax());
        for (int attempt = 0; attempt < CROP_ATTEMPTS; attempt++) {
            double target = area * uniform(r, cfg.scaleMin(), cfg.scaleMax());
            double aspect = Math.exp(uniform(r, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(target * aspect)); // Python's round(): half to even
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && w <= srcWidth && h > 0 && h <= srcHeight) {
                top = r.nextInt(srcHeight - h + 1);
                left = r.nextInt(srcWidth - w + 1);
                cw = w;
                ch = h;
                break;
            }
        }
        if (top < 0) {
            double inRatio = (double) srcWidth / srcHeight;
            if (inRatio < cfg.ratioMin()) {
                cw = srcWidth;
                ch = Math.max(1, (int) Math.rint(cw / cfg.ratioMin()));
            } else if (inRatio > cfg.ratioMax()) {
                ch = srcHeight;
                cw = Math.max(1, (int) Math.rint(ch * cfg.ratioMax()));
            } else {
                cw = srcWidth;
                ch = srcHeight;
            }
            top = (srcHeight - ch) / 2;
            left = (srcWidth - cw) / 2;
        }
        boolean jitter = r.nextDouble() < cfg.jitterProb();
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float b = (float) uniform(r, Math.max(0, 1 - cfg.brightness()), 1 + cfg.brightness());
        float c = (float) uniform(r, Math.max(0, 1 - cfg.contrast()), 1 + cfg.contrast());
        float s = (float) uniform(r, Math.max(0, 1 - cfg.saturation()), 1 + cfg.saturation());
        float h = (float) uniform(r, -cfg.hue(), cfg.hue());
        boolean gray = r.nextDouble() < cfg.grayProb();
        boolean blur = r.nextDouble() < cfg.blurProb();
        double sigma = uniform(r, cfg.sigmaMin(), cfg.sigmaMax());
        boolean flip = r.nextDouble() < cfg.flipProb();
        return new ViewParams(top, left, ch, cw, jitter, order, b, c, s, h, gray, blur, sigma, flip);
    }

    private static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** Renders a view with given parameters (deterministic, no randomness). */
    public void apply(DecodedImage img, ViewParams p, float[] out, int offset) {
        int size = cfg.outSize();
        if (p.left() < 0 || p.top() < 0 || p.width() < 1 || p.height() < 1 || p.left() + p.width() > img.width()
                || p.top() + p.height() > img.height()) {
            throw new IllegalArgumentException("crop " + p + " lies outside the " + img + " it is applied to");
        }
        Workspace ws = Workspace.get();
        boolean toGrey = img.channels() == 3 && cfg.outChannels() == 1;
        int planes = img.channels() == 3 && !toGrey ? 3 : 1;
        ws.resample(img, size, toGrey,
                p.left(), p.width() / (double) size, p.left(), p.left() + p.width(),
                p.top(), p.height() / (double) size, p.top(), p.top() + p.height());
        float[] im = ws.img;
        int n = size * size;
        if (p.jitter()) {
            for (int op : p.order()) {
                switch (op) {
                    case ViewParams.BRIGHTNESS -> ColorOps.brightness(im, planes, n, p.brightness());
                    case ViewParams.CONTRAST -> ColorOps.contrast(im, planes, n, p.contrast());
                    case ViewParams.SATURATION -> ColorOps.saturation(im, planes, n, p.saturation());
                    case ViewParams.HUE -> ColorOps.hue(im, planes, n, p.hue());
                    default -> throw new IllegalArgumentException("unknown jitter op " + op);
                }
            }
        }
        if (p.gray()) {
            ColorOps.grayscale(im, planes, n);
        }
        if (p.blur()) {
            GaussianBlur.blur(im, planes, size, size, p.sigma(), ws.pad(GaussianBlur.padLength(size, p.sigma())),
                    ws.col(2 * n));
        }
        ws.write(planes, size, cfg.outChannels(), p.flip(), mean, std, out, offset);
    }
}
