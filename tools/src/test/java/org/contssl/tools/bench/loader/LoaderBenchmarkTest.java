package org.contssl.tools.bench.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.contssl.tools.bench.BenchReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of {@code bench loader} on three photos of our own: they are re-encoded once at a 256-px short side,
 * reused on the next run, and both sides (when Debian's Python has PIL and torchvision) report a rate.
 */
class LoaderBenchmarkTest {

    @Test
    void reencodesOnceAtShortSide256AndReportsBothRates(@TempDir Path tmp) throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("aaa-photos")); // sorts before /usr/share: taken first
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(480 + 40 * i, 360, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, ((x * 3 + i * 50) & 255) << 16 | ((y * 2) & 255) << 8 | ((x + y) & 255));
                }
            }
            ImageIO.write(img, "jpeg", photos.resolve("p" + i + ".jpg").toFile());
        }
        Path cache = tmp.resolve("cache");
        boolean python = Files.isExecutable(Path.of("/usr/bin/python3"));
        LoaderBenchmark.Options o = new LoaderBenchmark.Options(0.3, 1, 3, cache, List.of(photos),
                python ? "/usr/bin/python3" : null, false);
        JsonNode j = run(o);
        assertThat(j.get("cpu_flags").isArray()).isTrue();
        assertThat(j.get("photos").asInt()).isEqualTo(3);
        try (Stream<Path> s = Files.list(cache)) {
            List<Path> cached = s.filter(p -> p.toString().endsWith(".jpg")).toList();
            assertThat(cached).hasSize(3);
            for (Path c : cached) {
                BufferedImage b = ImageIO.read(c.toFile());
                assertThat(Math.min(b.getWidth(), b.getHeight())).isEqualTo(256);
            }
        }
        assertThat(j.get("contssl_img_per_s_per_core").asDouble()).isPositive();
        if (!j.has("pil_torchvision_skipped") && python) {
            assertThat(j.get("pil_torchvision_img_per_s_per_core").asDouble()).isPositive();
            assertThat(j.get("ratio_vs_pil_torchvision").asDouble()).isPositive();
        }
        long before = Files.getLastModifiedTime(cache).toMillis();
        run(new LoaderBenchmark.Options(0.2, 1, 3, cache, List.of(photos), null, false));
        try (Stream<Path> s = Files.list(cache)) {
            assertThat(s.filter(p -> p.toString().endsWith(".jpg")).count()).isEqualTo(3);
        }
        assertThat(Files.getLastModifiedTime(cache).toMillis()).isEqualTo(before); // nothing re-encoded
    }

    @Test
    void badOptionsAreRejected(@TempDir Path tmp) {
        assertThatThrownBy(() -> run(new LoaderBenchmark.Options(0, 1, 3, tmp, List.of(), null, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--seconds");
    }

    private static JsonNode run(LoaderBenchmark.Options o) throws Exception {
        BenchReport r = LoaderBenchmark.run(o, new PrintStream(new ByteArrayOutputStream()));
        return r.json();
    }
}
