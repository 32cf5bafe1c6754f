package org.contssl.tools.bench.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.contssl.model.probe.FeatureMatrix;
import org.contssl.model.probe.LinearProbe;
import org.contssl.model.probe.ProbeSettings;
import org.contssl.model.probe.TopKAccuracy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    @Test
    void decodesGzipIdxImagesAndLabels() throws IOException {
        Path img = dir.resolve("x-images-idx3-ubyte.gz");
        try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(img)))) {
            o.writeInt(2051); o.writeInt(2); o.writeInt(2); o.writeInt(3);
            o.write(new byte[] {0, 1, 2, 3, 4, 5, (byte) 250, (byte) 251, (byte) 252, (byte) 253, (byte) 254, (byte) 255});
        }
        Path lab = dir.resolve("x-labels-idx1-ubyte.gz");
        try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(lab)))) {
            o.writeInt(2049); o.writeInt(2); o.write(new byte[] {9, 4});
        }
        IdxFile.Images im = IdxFile.readImages(img);
        assertThat(im.count()).isEqualTo(2);
        assertThat(im.pixelsPerImage()).isEqualTo(6);
        assertThat(im.pixels()[11] & 0xff).isEqualTo(255);
        assertThat(IdxFile.readLabels(lab)).containsExactly(9, 4);
        FeatureMatrix fm = ProbeBenchmark.rawPixels(im, new int[] {9, 4}, 1, 1);
        assertThat(fm.values()[5]).isEqualTo(1f);
        // labels file passed as images: one-line error naming the file
        assertThatThrownBy(() -> IdxFile.readImages(lab)).hasMessageContaining(lab.toString()).hasMessageContaining("2049");
    }

    @Test
    void truncatedFileIsAnErrorNamingIt() throws IOException {
        Path img = dir.resolve("t-images-idx3-ubyte.gz");
        try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(img)))) {
            o.writeInt(2051); o.writeInt(5); o.writeInt(28); o.writeInt(28);
            o.write(new byte[100]);
        }
        assertThatThrownBy(() -> IdxFile.readImages(img)).hasMessageContaining("truncated").hasMessageContaining(img.toString());
    }

    /** The default probe settings must reach the raw-pixel floor of docs/data.md (83.3 %) on the real data, within noise. */
    @Test
    void defaultProbeReachesTheRawPixelFloorOnFashionMnist() throws IOException {
        Path fm = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isRegularFile(fm.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST not installed (apt-get install -y dataset-fashion-mnist): raw-pixel floor check skipped");
        IdxFile.Images tri = IdxFile.readImages(fm.resolve("train-images-idx3-ubyte.gz"));
        int[] trl = IdxFile.readLabels(fm.resolve("train-labels-idx1-ubyte.gz"));
        IdxFile.Images tei = IdxFile.readImages(fm.resolve("t10k-images-idx3-ubyte.gz"));
        int[] tel = IdxFile.readLabels(fm.resolve("t10k-labels-idx1-ubyte.gz"));
        TopKAccuracy acc = new LinearProbe(ProbeSettings.defaults()).fitAndEvaluate(
                ProbeBenchmark.rawPixels(tri, trl, 0, 10_000), ProbeBenchmark.rawPixels(tei, tel, 0, 10_000));
        assertThat(acc.top1()).isBetween(82.5, 86.0);
    }
}
