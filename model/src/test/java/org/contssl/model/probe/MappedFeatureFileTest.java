package org.contssl.model.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFeatureFileTest {
    @TempDir
    Path dir;

    @Test
    void streamedWriteIsByteIdenticalToFeatureFileAndReadsBackAcrossSegments() throws Exception {
        FeatureMatrix m = LinearProbeTest.separable(301, 7, 4, 0.5, 3);
        Path heap = dir.resolve("heap.feat"), streamed = dir.resolve("streamed.feat");
        FeatureFile.write(m, heap);
        try (MappedFeatureFile.Writer w = MappedFeatureFile.create(streamed, m.rows(), m.dim(), m.numClasses())) {
            for (int r = 0; r < m.rows(); r++) {
                w.append(m.values(), r * m.dim(), m.label(r));
            }
            w.commit();
        }
        assertThat(Files.readAllBytes(streamed)).isEqualTo(Files.readAllBytes(heap));

        // 10 rows per map: rows 9/10 and the last row sit on segment boundaries
        try (MappedFeatureFile f = MappedFeatureFile.open(heap, true, 10L * 4 * 7)) {
            assertThat(f.rows()).isEqualTo(301);
            assertThat(f.featureBytes()).isEqualTo(301L * 7 * 4);
            int[] order = {300, 9, 10, 0};
            float[] dst = new float[4 * 7];
            f.gather(order, 0, 4, dst);
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < 7; k++) {
                    assertThat(dst[i * 7 + k]).isEqualTo(m.values()[order[i] * 7 + k]);
                }
                assertThat(f.label(order[i])).isEqualTo(m.label(order[i]));
            }
        }

        byte[] bytes = Files.readAllBytes(heap);
        bytes[100] ^= 0x5a;
        Files.write(heap, bytes);
        assertThatThrownBy(() -> MappedFeatureFile.open(heap, true)).hasMessageContaining("checksum");
        Files.write(heap, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> MappedFeatureFile.open(heap, false)).hasMessageContaining("does not match");
    }

    @Test
    void aWriterCommitsFewerRowsThanAnnouncedAsAValidSmallerFile() throws Exception {
        // unreadable probe images are left out while streaming: the file must then say (and checksum) fewer rows
        FeatureMatrix m = LinearProbeTest.separable(50, 5, 3, 0.5, 4);
        Path shrunk = dir.resolve("shrunk.feat"), exact = dir.resolve("exact.feat");
        try (MappedFeatureFile.Writer w = MappedFeatureFile.create(shrunk, 80, m.dim(), m.numClasses())) {
            for (int r = 0; r < m.rows(); r++) {
                w.append(m.values(), r * m.dim(), m.label(r));
            }
            assertThatThrownBy(w::commit).hasMessageContaining("50 of 80");
            w.commitWritten();
        }
        FeatureFile.write(m, exact);
        assertThat(Files.readAllBytes(shrunk)).isEqualTo(Files.readAllBytes(exact));
        try (MappedFeatureFile f = MappedFeatureFile.open(shrunk, true)) {
            assertThat(f.rows()).isEqualTo(50);
        }
    }

    @Test
    void abandonedWriterLeavesNoFile() throws Exception {
        Path f = dir.resolve("x.feat");
        try (MappedFeatureFile.Writer w = MappedFeatureFile.create(f, 3, 2, 2)) {
            w.append(new float[] {1, 2}, 0, 1);
            assertThatThrownBy(w::commit).hasMessageContaining("1 of 3");
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void gemmProbeMatchesTheExactProbeWithinAFractionOfAPoint() throws Exception {
        FeatureMatrix train = LinearProbeTest.separable(2000, 16, 5, 1.2, 11);
        FeatureMatrix test = LinearProbeTest.separable(1000, 16, 5, 1.2, 12);
        Path tr = dir.resolve("tr.feat"), te = dir.resolve("te.feat");
        FeatureFile.write(train, tr);
        FeatureFile.write(test, te);
        ProbeSettings s = ProbeSettings.defaults().withEpochs(5);
        TopKAccuracy exact = new LinearProbe(s).fitAndEvaluate(train, test);
        try (MappedFeatureFile mtr = MappedFeatureFile.open(tr, true); MappedFeatureFile mte = MappedFeatureFile.open(te, true)) {
            GemmLinearProbe g = new GemmLinearProbe(s);
            LinearClassifier head = g.train(mtr);
            TopKAccuracy gemm = GemmLinearProbe.evaluate(head, mte);
            assertThat(gemm.top1()).isCloseTo(exact.top1(), within(0.5));
            assertThat(g.stats().batches()).isEqualTo(5L * ((2000 + 63) / 64));
            assertThat(g.stats().gemmFlops()).isEqualTo(5 * 4.0 * 2000 * 16 * 5);
            // the exact evaluation of the same head agrees with the streamed one
            assertThat(LinearProbe.evaluate(head, test).top1()).isEqualTo(gemm.top1());
        }
    }
}
