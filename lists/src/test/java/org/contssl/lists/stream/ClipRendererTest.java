package org.contssl.lists.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.contssl.lists.imports.Raster8;
import org.junit.jupiter.api.Test;

class ClipRendererTest {

    private static Raster8 gradient(int w, int h) {
        byte[] d = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = (byte) ((x * 3 + y * 5) & 0xff);
            }
        }
        return new Raster8(w, h, 1, d);
    }

    @Test
    void frameZeroIsTheSourceAndLaterFramesDriftSmoothly() {
        Raster8 src = gradient(28, 28);
        ClipRenderer.Camera cam = ClipRenderer.Camera.draw(42, 28, 28);
        assertThat(ClipRenderer.frame(src, cam, 0, 64, 1)).isSameAs(src);
        double step = 0;
        Raster8 prev = src;
        for (int t = 1; t < 64; t++) {
            Raster8 f = ClipRenderer.frame(src, cam, t, 64, t);
            step += f.meanAbsDiff(prev) / 63;
            prev = f;
        }
        double total = prev.meanAbsDiff(src);
        // consecutive frames of a 64-frame clip are near-duplicates; the clip as a whole moves much further
        assertThat(step).isLessThan(total);
        // the same seeds give the same frame, another noise seed a different one
        assertThat(ClipRenderer.frame(src, cam, 5, 64, 9).data()).isEqualTo(ClipRenderer.frame(src, cam, 5, 64, 9).data());
        assertThat(ClipRenderer.frame(src, cam, 5, 64, 9).data()).isNotEqualTo(ClipRenderer.frame(src, cam, 5, 64, 10).data());
    }

    @Test
    void largeSourcesAreReducedToShortSide256ByAreaAveraging() {
        Raster8 big = new Raster8(1024, 512, 3, new byte[1024 * 512 * 3]);
        java.util.Arrays.fill(big.data(), (byte) 200);
        Raster8 fit = ClipRenderer.fitShortSide(big, 256);
        assertThat(fit.width()).isEqualTo(512);
        assertThat(fit.height()).isEqualTo(256);
        assertThat(fit.channels()).isEqualTo(3);
        for (byte b : fit.data()) {
            assertThat(b & 0xff).isEqualTo(200);
        }
        Raster8 small = gradient(28, 28);
        assertThat(ClipRenderer.fitShortSide(small, 256)).isSameAs(small);
    }
}
