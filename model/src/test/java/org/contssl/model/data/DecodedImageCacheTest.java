package org.contssl.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DecodedImageCacheTest {

    private static DecodedImage img(int side) {
        return new DecodedImage(side, side, 1, new byte[side * side]);
    }

    @Test
    void evictsLeastRecentlyUsedByBytes() {
        long each = img(10).sizeInBytes();
        DecodedImageCache c = new DecodedImageCache(3 * each);
        Path a = Path.of("a");
        Path b = Path.of("b");
        Path d = Path.of("d");
        Path e = Path.of("e");
        c.put(a, img(10));
        c.put(b, img(10));
        c.put(d, img(10));
        assertThat(c.get(a)).isNotNull(); // a is now most recent; b is the oldest
        c.put(e, img(10));
        assertThat(c.get(b)).isNull();
        assertThat(c.get(a)).isNotNull();
        assertThat(c.get(d)).isNotNull();
        assertThat(c.get(e)).isNotNull();
        assertThat(c.bytes()).isEqualTo(3 * each);
        assertThat(c.entries()).isEqualTo(3);
        assertThat(c.hits()).isEqualTo(4);
        assertThat(c.misses()).isEqualTo(1);
    }

    @Test
    void oversizedEntriesAreNotCachedAndReplacingAKeyKeepsTheCount() {
        DecodedImageCache c = new DecodedImageCache(500);
        c.put(Path.of("big"), img(30));
        assertThat(c.entries()).isZero();
        c.put(Path.of("x"), img(10));
        c.put(Path.of("x"), img(12));
        assertThat(c.entries()).isEqualTo(1);
        assertThat(c.bytes()).isEqualTo(img(12).sizeInBytes());
    }
}
