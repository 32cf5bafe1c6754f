package org.contssl.model.data;

/**
 * The deterministic transform for frozen-feature extraction (linear probe, kNN): resize the short side to
 * {@code outSize / evalCropFraction} (torchvision {@code Resize(int)}, long side truncated), take the centre
 * {@code outSize} square ({@code CenterCrop}), normalise. {@link #rawPixels} gives the same geometry without
 * normalisation, values in [0, 1], for the raw-pixel baseline. Thread-safe.
 */
public final class EvalTransform {

    private final AugmentConfig cfg;
    private final float[] mean;
    private final float[] std;
    private final float[] zeroMean;
    private final float[] unitStd;

    public EvalTransform(AugmentConfig cfg) {
        this.cfg = cfg;
        this.mean = cfg.mean();
        this.std = cfg.std();
        this.zeroMean = new float[cfg.outChannels()];
        this.unitStd = new float[cfg.outChannels()];
        java.util.Arrays.fill(unitStd, 1f);
    }

    public AugmentConfig config() {
        return cfg;
    }

    /** Floats written per image. */
    public int sampleLength() {
        return cfg.sampleLength();
    }

    /** Normalised CHW into {@code out[offset .. offset+sampleLength)}. */
    public void apply(DecodedImage img, float[] out, int offset) {
        render(img, mean, std, out, offset);
    }

    /** Same geometry as {@link #apply}, values in [0, 1] (ToTensor without Normalize). */
    public void rawPixels(DecodedImage img, float[] out, int offset) {
        render(img, zeroMean, unitStd, out, offset);
    }

    private void render(DecodedImage img, float[] m, float[] s, float[] out, int offset) {
        int size = cfg.outSize();
        int w = img.width();
        int h = img.height();
        int shortTarget = Math.max(size, (int) Math.round(size / cfg.evalCropFraction()));
        int rw;
        int rh;
        if (w <= h) {
            rw = shortTarget;
            rh = Math.max(size, (int) ((long) shortTarget * h / w));
        } else {
            rh = shortTarget;
            rw = Math.max(size, (int) ((long) shortTarget * w / h));
        }
        int top = (int) Math.rint((rh - size) / 2.0);
        int left = (int) Math.rint((rw - size) / 2.0);
        double sx = (double) w / rw;
        double sy = (double) h / rh;
        boolean toGrey = img.channels() == 3 && cfg.outChannels() == 1;
        int planes = img.channels() == 3 && !toGrey ? 3 : 1;
        Workspace ws = Workspace.get();
        ws.resample(img, size, toGrey, left * sx, sx, 0, w, top * sy, sy, 0, h);
        ws.write(planes, size, cfg.outChannels(), false, m, s, out, offset);
    }
}
