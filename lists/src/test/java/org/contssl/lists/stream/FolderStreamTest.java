package org.contssl.lists.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.contssl.lists.MemmapList;
import org.contssl.lists.TestData;
import org.contssl.lists.imports.ImageFiles;
import org.contssl.lists.imports.Raster8;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own class-folder tree of JPEG/PNG photos as {@code data.source=folder:DIR}. */
class FolderStreamTest {

    @TempDir
    static Path photos;
    @TempDir
    Path work;

    @BeforeAll
    static void tree() throws Exception {
        // three classes, mixed JPEG/PNG, mixed sizes (as photos are)
        int k = 0;
        for (String cls : List.of("beach", "city", "forest")) {
            for (int i = 0; i < 20; i++, k++) {
                Raster8 img = smooth(40 + (k % 3) * 8, 30, k);
                Path f = photos.resolve(cls).resolve(String.format("p%03d.%s", i, i % 2 == 0 ? "jpg" : "png"));
                Files.createDirectories(f.getParent());
                if (i % 2 == 0) {
                    BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
                    for (int y = 0; y < img.height(); y++) {
                        for (int x = 0; x < img.width(); x++) {
                            int o = (y * img.width() + x) * 3;
                            bi.setRGB(x, y, (img.data()[o] & 0xff) << 16 | (img.data()[o + 1] & 0xff) << 8
                                    | (img.data()[o + 2] & 0xff));
                        }
                    }
                    ImageIO.write(bi, "jpg", f.toFile());
                } else {
                    TestData.writePng(f, img);
                }
            }
        }
    }

    /** A smooth colour gradient: resampling it gives small differences, as with real photos. */
    private static Raster8 smooth(int w, int h, int seed) {
        byte[] d = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                d[o] = (byte) (x * 255 / w);
                d[o + 1] = (byte) (y * 255 / h);
                d[o + 2] = (byte) ((seed * 37 + x + y) & 0xff);
            }
        }
        return new Raster8(w, h, 3, d);
    }

    private StreamRequest.Builder req(String name) {
        return StreamRequest.builder(work.resolve(name)).source("folder:" + photos).streamSize(0)
                .probeTrainSize(1000).probeTestSize(1000).oodProbe(false).threads(2).seed(5);
    }

    @Test
    void iidStreamOverTheUsersFolderReadsFilesInPlace() {
        StreamPlan p = StreamPlanner.build(req("iid").build());
        // 60 images: 6 (10 %) held out for probe-test, 12 (20 %) for probe-train, the rest streams
        assertThat(p.streamLength()).isEqualTo(42);
        assertThat(p.notes()).anyMatch(n -> n.contains("probe sizes capped"));
        ProbeSet probe = p.probes().get("folder");
        assertThat(probe.numClasses()).isEqualTo(3);
        assertThat(probe.classNames()).containsExactly("beach", "city", "forest");
        assertThat(StreamPlannerTest.files(probe.trainList()))
                .doesNotContainAnyElementsOf(StreamPlannerTest.files(p.streamList()));
        try (MemmapList l = MemmapList.open(p.streamList())) {
            assertThat(l.baseDir()).isEqualTo(photos.toAbsolutePath().normalize());
            for (long i = 0; i < l.size(); i++) {
                assertThat(l.resolve(i)).exists();
                String cls = l.pathAt(i).substring(0, l.pathAt(i).indexOf('/'));
                assertThat(probe.classNames().get(l.labelAt(i))).isEqualTo(cls);
            }
        }
        assertThat(p.imagesExported()).isZero(); // the user's files are used where they are
    }

    @Test
    void sequentialClipsAreRenderedFromPhotos() throws Exception {
        StreamPlan p = StreamPlanner.build(req("seq").kind(StreamKind.SEQUENTIAL).clipLength(4).streamSize(40).build());
        assertThat(p.streamLength()).isEqualTo(40);
        try (MemmapList l = MemmapList.open(p.streamList())) {
            assertThat(l.baseDir()).isEqualTo(work.resolve("seq/data").toAbsolutePath().normalize());
            Raster8 f0 = ImageFiles.decode(l.resolve(0));
            assertThat(f0.channels()).isEqualTo(3);
            assertThat(ImageFiles.decode(l.resolve(1)).width()).isEqualTo(f0.width());
            var d = l.metadata().diagnostics();
            assertThat(d.meanAbsDiffConsecutive()).isLessThan(d.meanAbsDiffClipEnds());
        }
        // L = 1 over a folder is its iid stream
        StreamPlan one = StreamPlanner.build(req("one").kind(StreamKind.SEQUENTIAL).clipLength(1).build());
        StreamPlan iid = StreamPlanner.build(req("iid2").build());
        assertThat(StreamPlannerTest.records(one.streamList())).isEqualTo(StreamPlannerTest.records(iid.streamList()));
    }
}
