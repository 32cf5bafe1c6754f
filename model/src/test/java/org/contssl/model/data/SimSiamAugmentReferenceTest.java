package org.contssl.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimised view path (planar resampling with vector rows, vector colour ops, vector blur passes) against the
 * per-pixel definitions it replaced, kept here as the reference: interleaved two-pass resampling summing each pixel's
 * taps from zero, the scalar colour ops, the scalar blur passes (themselves pinned to PIL's line passes by
 * {@link GaussianBlurColumnsTest}) and the same normalisation. Every float must match bit for bit, for many seeds (so
 * every jitter order, greyscale, blur and flip combination) on RGB, grey and odd-sized sources.
 */
class SimSiamAugmentReferenceTest {

    @Test
    void viewsAreBitIdenticalToThePerPixelDefinitions() {
        int[][] shapes = {{256, 341, 3}, {300, 256, 3}, {97, 131, 3}, {256, 256, 1}};
        int[] sizes = {224, 37};
        SplittableRandom r = new SplittableRandom(5);
        for (int[] s : shapes) {
            DecodedImage img = TestImages.pattern(s[0], s[1], s[2], r.nextLong());
            for (int size : sizes) {
                SimSiamAugment aug = new SimSiamAugment(AugmentConfig.simsiam(size, 3));
                float[] got = new float[aug.sampleLength()];
                float[] want = new float[aug.sampleLength()];
                for (int k = 0; k < 24; k++) {
                    long seed = r.nextLong();
                    ViewParams p = aug.sample(img.width(), img.height(), seed);
                    aug.apply(img, p, got, 0);
                    reference(aug.config(), img, p, want);
                    for (int i = 0; i < want.length; i++) {
                        int at = i;
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                () -> img + " size " + size + " " + p + " at " + at);
                    }
                }
            }
        }
    }

    private static void reference(AugmentConfig cfg, DecodedImage img, ViewParams p, float[] out) {
        int size = cfg.outSize();
        int n = size * size;
        int planes = img.channels();
        Resampler.Axis ax = new Resampler.Axis();
        Resampler.Axis ay = new Resampler.Axis();
        ax.set(size, p.left(), p.width() / (double) size, p.left(), p.left() + p.width());
        ay.set(size, p.top(), p.height() / (double) size, p.top(), p.top() + p.height());
        float[] im = new float[planes * n];
        resampleInterleaved(img, ax, ay, size, size, im);
        if (p.jitter() && planes == 3) {
            for (int op : p.order()) {
                switch (op) {
                    case ViewParams.BRIGHTNESS -> ColorOps.brightnessScalar(im, planes, n, p.brightness());
                    case ViewParams.CONTRAST -> ColorOps.contrastScalar(im, planes, n, p.contrast());
                    case ViewParams.SATURATION -> ColorOps.saturationScalar(im, n, p.saturation(), 0);
                    default -> {
                        if (p.hue() != 0f) {
                            ColorOps.hueScalar(im, n, p.hue(), 0);
                        }
                    }
                }
            }
        } else if (p.jitter()) {
            for (int op : p.order()) {
                if (op == ViewParams.BRIGHTNESS) {
                    ColorOps.brightnessScalar(im, 1, n, p.brightness());
                } else if (op == ViewParams.CONTRAST) {
                    ColorOps.contrastScalar(im, 1, n, p.contrast());
                }
            }
        }
        if (p.gray() && planes == 3) {
            ColorOps.grayscaleScalar(im, n, 0);
        }
        if (p.blur()) {
            GaussianBlur.blur(im, planes, size, size, p.sigma(),
                    new float[GaussianBlur.padLength(size, p.sigma())], new float[2 * n], false);
        }
        float[] mean = cfg.mean();
        float[] std = cfg.std();
        for (int c = 0; c < 3; c++) {
            float a = 1f / (255f * std[c]);
            float b = -mean[c] / std[c];
            int src = (planes == 1 ? 0 : c) * n;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int sx = p.flip() ? size - 1 - x : x;
                    out[c * n + y * size + x] = im[src + y * size + sx] * a + b;
                }
            }
        }
    }

    /** The resampling as first written: both passes per pixel on interleaved channels. */
    private static void resampleInterleaved(DecodedImage src, Resampler.Axis ax, Resampler.Axis ay, int outW,
                                            int outH, float[] dst) {
        byte[] px = src.pixels();
        int ic = src.channels();
        int w = src.width();
        int rowLo = Resampler.rowLo(ay, outH);
        int rowHi = Resampler.rowHi(ay, outH);
        int rowLen = outW * ic;
        float[] tmp = new float[(rowHi - rowLo) * rowLen];
        for (int y = rowLo; y < rowHi; y++) {
            for (int o = 0; o < outW; o++) {
                for (int c = 0; c < ic; c++) {
                    float acc = 0;
                    for (int k = 0; k < ax.count[o]; k++) {
                        acc += ax.w[o * ax.taps + k] * (px[(y * w + ax.first[o] + k) * ic + c] & 0xFF);
                    }
                    tmp[(y - rowLo) * rowLen + o * ic + c] = acc;
                }
            }
        }
        int plane = outW * outH;
        for (int o = 0; o < outH; o++) {
            for (int x = 0; x < outW; x++) {
                for (int c = 0; c < ic; c++) {
                    float acc = 0;
                    for (int k = 0; k < ay.count[o]; k++) {
                        acc += ay.w[o * ay.taps + k] * tmp[(ay.first[o] - rowLo + k) * rowLen + x * ic + c];
                    }
                    dst[c * plane + o * outW + x] = acc;
                }
            }
        }
    }
}
