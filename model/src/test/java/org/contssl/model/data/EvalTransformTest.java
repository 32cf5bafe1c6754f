package org.contssl.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class EvalTransformTest {

    @Test
    void rawPixelsOfAnImageAtOutputSizeAreItsBytes() {
        DecodedImage img = TestImages.pattern(28, 28, 1, 3);
        EvalTransform t = new EvalTransform(AugmentConfig.simsiam(28, 1));
        float[] raw = new float[784];
        t.rawPixels(img, raw, 0);
        for (int i = 0; i < 784; i++) {
            assertThat(raw[i]).isCloseTo((img.pixels()[i] & 0xFF) / 255f, within(1e-6f));
        }
        float[] norm = new float[784];
        t.apply(img, norm, 0);
        for (int i = 0; i < 784; i++) {
            assertThat(norm[i]).isCloseTo((raw[i] - 0.2860f) / 0.3530f, within(1e-5f));
        }
    }

    @Test
    void centreCropOfAWideImageTakesTheMiddle() {
        // 3 columns of width 10: black, white, black; the centre 10x10 of a 30x10 image is all white.
        byte[] px = new byte[30 * 10];
        for (int y = 0; y < 10; y++) {
            for (int x = 10; x < 20; x++) {
                px[y * 30 + x] = (byte) 255;
            }
        }
        EvalTransform t = new EvalTransform(AugmentConfig.simsiam(10, 1));
        float[] raw = new float[100];
        t.rawPixels(new DecodedImage(30, 10, 1, px), raw, 0);
        for (float v : raw) {
            assertThat(v).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void isDeterministicAndDownscalesWithoutAliasing() {
        DecodedImage big = TestImages.pattern(256, 200, 3, 8);
        EvalTransform t = new EvalTransform(AugmentConfig.simsiam(32, 3).toBuilder().evalCropFraction(0.875).build());
        float[] a = new float[t.sampleLength()];
        float[] b = new float[t.sampleLength()];
        t.apply(big, a, 0);
        t.apply(big, b, 0);
        assertThat(Arrays.equals(a, b)).isTrue();
        // One-pixel black/white stripes shrunk 8x: PIL's widened triangle averages them to mid-grey, where plain
        // bilinear interpolation would alias to black, white or a beat pattern.
        byte[] px = new byte[256 * 256];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i % 2) * 255);
        }
        float[] raw = new float[32 * 32];
        new EvalTransform(AugmentConfig.simsiam(32, 1)).rawPixels(new DecodedImage(256, 256, 1, px), raw, 0);
        for (float v : raw) {
            assertThat(v).isCloseTo(0.5f, within(0.07f));
        }
    }
}
