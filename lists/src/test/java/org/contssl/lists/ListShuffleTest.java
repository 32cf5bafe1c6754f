package org.contssl.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListShuffleTest {

    @TempDir
    Path dir;

    private Path labelledList(int n) {
        Path src = dir.resolve("src.memmap");
        try (MemmapListWriter w = MemmapListWriter.create(src, 40, dir, true)) {
            for (int i = 0; i < n; i++) {
                w.add("d" + (i % 7) + "/img_" + i + (i % 5 == 0 ? "_é.jpg" : ".jpg"), i % 10);
            }
            w.commit(ListMetadata.builder().role("test").numClasses(10));
        }
        return src;
    }

    @Test
    void writesTheRecordsInThePermutationsOrderWhateverTheBucketSize() {
        int n = 1_003;
        Path src = labelledList(n);
        FeistelPermutation sigma = new FeistelPermutation(n, 11);
        String firstHash = null;
        // one bucket; a few; one record per bucket (every entry is 4 + 40 + 4 = 48 bytes)
        for (long bucketBytes : new long[] {1L << 30, 48L * 100, 48L * 7, 1}) {
            Path out = dir.resolve("out" + bucketBytes + ".memmap");
            Path scratch = dir.resolve("scratch");
            StreamDiagnostics.QuarterCounts counts = new StreamDiagnostics.QuarterCounts(n, 10);
            try (MemmapList in = MemmapList.open(src);
                 MemmapListWriter w = MemmapListWriter.create(out, 40, dir, true)) {
                ListShuffle.write(in, sigma, w, counts, scratch, bucketBytes);
                ListMetadata m = w.commit(ListMetadata.builder().role("test"));
                firstHash = firstHash == null ? m.sha256() : firstHash;
                assertThat(m.sha256()).as("bucket size %d", bucketBytes).isEqualTo(firstHash);
            }
            assertThat(scratch).doesNotExist();
            try (MemmapList in = MemmapList.open(src); MemmapList o = MemmapList.open(out)) {
                assertThat(o.size()).isEqualTo(n);
                int[] labels = new int[n];
                for (long p = 0; p < n; p++) {
                    long i = sigma.apply(p);
                    assertThat(o.recordAt(p)).isEqualTo(in.recordAt(i));
                    assertThat(o.labelAt(p)).isEqualTo(in.labelAt(i));
                    labels[(int) p] = o.labelAt(p);
                }
                assertThat(counts.result()).isEqualTo(StreamDiagnostics.ofLabels(labels, 10));
            }
        }
    }

    @Test
    void aBadRecordStopsTheShuffleWithItsSourceIndexAndLeavesNothingBehind() throws Exception {
        Path src = dir.resolve("raw.memmap");
        byte[] bytes = new byte[30 * 120];
        for (int i = 0; i < 30; i++) {
            byte[] p = (i == 23 ? "a/../../x.jpg" : "a/" + i + ".jpg").getBytes(StandardCharsets.UTF_8);
            System.arraycopy(p, 0, bytes, i * 120, p.length);
        }
        Files.write(src, bytes);
        Path out = dir.resolve("out.memmap");
        try (MemmapList in = MemmapList.open(src);
             MemmapListWriter w = MemmapListWriter.create(out, 120, dir, false)) {
            ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> ListShuffle.write(in,
                    new FeistelPermutation(30, 1), w, null, dir.resolve("scratch")));
            assertThat(e.problem()).isEqualTo(ListFormatException.Problem.PATH_ESCAPES_BASE);
            assertThat(e.getMessage()).contains("raw.memmap: record 23:");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("raw.memmap");
        }
    }

    @Test
    void scanReadsEveryKthRecordAndItsLabelLikeRandomAccess() {
        Path src = labelledList(20_000); // several 1 MiB blocks at 40 bytes a record
        try (MemmapList in = MemmapList.open(src)) {
            for (long k : new long[] {1, 3, 26_214, 26_215, 50_000}) {
                List<Long> seen = new ArrayList<>();
                try (ListScan s = ListScan.every(in, k)) {
                    while (s.next()) {
                        seen.add(s.index());
                        assertThat(s.record()).isEqualTo(in.recordAt(s.index()));
                        assertThat(s.checkedPath()).isEqualTo(in.pathAt(s.index()));
                        assertThat(s.label()).isEqualTo(in.labelAt(s.index()));
                    }
                    assertThat(s.next()).isFalse();
                }
                assertThat(seen).hasSize((int) ((20_000 + k - 1) / k));
                assertThat(seen.get(seen.size() - 1)).isEqualTo((20_000 - 1) / k * k);
            }
        }
    }

    @Test
    void quarterCountsMatchTheArrayVersionIncludingUnevenQuartersAndStrayLabels() {
        Random r = new Random(5);
        for (int n : new int[] {1, 3, 4, 7, 101}) {
            int[] labels = new int[n];
            StreamDiagnostics.QuarterCounts c = new StreamDiagnostics.QuarterCounts(n, 4);
            for (int i = 0; i < n; i++) {
                labels[i] = r.nextInt(6) - 1;
                c.add(i, labels[i]);
            }
            assertThat(c.result()).isEqualTo(StreamDiagnostics.ofLabels(labels, 4));
        }
        StreamDiagnostics big = new StreamDiagnostics.QuarterCounts(60_000_000_000L, 2).result();
        assertThat(big.quarterStarts()).containsExactly(0L, 15_000_000_000L, 30_000_000_000L, 45_000_000_000L);
    }

    /**
     * A sparse list just over 2 GiB: records past byte 2^31 are read, scanned and subsampled at the right offsets
     * (no int arithmetic on positions). Only the written records occupy disk.
     */
    @Test
    void offsetsBeyondTwoGibibytesInAScanASubsampleAndRandomAccess() throws Exception {
        long n = 18_000_000; // 2,160,000,000 bytes of 120-byte records
        long step = 1_000_000;
        Path src = dir.resolve("sparse.memmap");
        try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
            f.setLength(n * 120);
            for (long i = 0; i < n; i += step) {
                f.seek(i * 120);
                f.write(("far/" + i + ".jpg").getBytes(StandardCharsets.UTF_8));
            }
            f.seek((n - 1) * 120);
            f.write("far/last.jpg".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.size(src)).isGreaterThan(1L << 31);
        try (MemmapList in = MemmapList.open(src)) {
            assertThat(in.recordAt(17_000_000)).isEqualTo("far/17000000.jpg");
            assertThat(in.recordAt(n - 1)).isEqualTo("far/last.jpg");
            List<String> got = new ArrayList<>();
            try (ListScan s = ListScan.every(in, step)) {
                while (s.next()) {
                    got.add(s.checkedPath());
                }
            }
            assertThat(got).hasSize(18).endsWith("far/17000000.jpg");
        }
        Path sub = dir.resolve("sub.memmap");
        ListMetadata m = Subsample.apply(src, (int) step, sub);
        assertThat(m.count()).isEqualTo(18);
        try (MemmapList s = MemmapList.open(sub)) {
            assertThat(s.recordAt(17)).isEqualTo("far/17000000.jpg");
        }
    }
}
