package org.contssl.model.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsExactlyAndDetectsCorruption() throws Exception {
        FeatureMatrix m = LinearProbeTest.separable(300, 7, 4, 0.5, 3);
        Path f = dir.resolve("features/ck_0.25/fashion-mnist.train.feat");
        FeatureFile.write(m, f);
        FeatureMatrix back = FeatureFile.read(f);
        assertThat(back.rows()).isEqualTo(300);
        assertThat(back.dim()).isEqualTo(7);
        assertThat(back.numClasses()).isEqualTo(4);
        assertThat(back.values()).containsExactly(m.values());
        assertThat(back.labels()).containsExactly(m.labels());
        assertThat(f.resolveSibling(f.getFileName() + ".tmp")).doesNotExist();
        try (var listing = Files.list(f.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(f.getFileName().toString());
        }

        byte[] bytes = Files.readAllBytes(f);
        bytes[100] ^= 0x5a;
        Files.write(f, bytes);
        assertThatThrownBy(() -> FeatureFile.read(f)).hasMessageContaining("checksum").hasMessageContaining(f.toString());
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> FeatureFile.read(f)).hasMessageContaining("does not match");
        Files.writeString(f, "hello, this is not a feature cache at all");
        assertThatThrownBy(() -> FeatureFile.read(f)).hasMessageContaining("bad magic");
    }

    @Test
    void outcomeRunsBothProbes() {
        FeatureMatrix train = LinearProbeTest.separable(1000, 16, 5, 0.3, 1);
        FeatureMatrix test = LinearProbeTest.separable(300, 16, 5, 0.3, 2);
        ProbeOutcome o = ProbeOutcome.run(train, test, ProbeSettings.defaultsFor(train.rows()), new KnnClassifier());
        assertThat(o.linear().top1()).isGreaterThan(98.0);
        assertThat(o.knn().top1()).isGreaterThan(98.0);
        assertThat(o.epochLosses()).hasSize(ProbeSettings.defaultsFor(1000).epochs());
        assertThat(ProbeOutcome.run(train, test, ProbeSettings.defaults().withEpochs(1), null).knn()).isNull();
    }
}
