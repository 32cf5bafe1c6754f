package org.contssl.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemmapListTest {

    @TempDir
    Path dir;

    private List<String> samplePaths(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // mix ASCII and multi-byte UTF-8 so both decoding paths run
            out.add(i % 7 == 3 ? "cls" + (i % 5) + "/Ünïcødé-é" + i + ".jpg" : "cls" + (i % 5) + "/img" + i + ".png");
        }
        return out;
    }

    private ListMetadata writeList(Path list, List<String> paths, boolean labels) {
        try (MemmapListWriter w = MemmapListWriter.create(list, 120, dir, labels)) {
            for (int i = 0; i < paths.size(); i++) {
                if (labels) {
                    w.add(paths.get(i), i % 5);
                } else {
                    w.add(paths.get(i));
                }
            }
            return w.commit(ListMetadata.builder().role("test").source("unit").kind("ordered").seed(3L));
        }
    }

    @Test
    void writtenListReadsBackRecordForRecordWithLabelsAndSidecar() throws Exception {
        Path list = dir.resolve("lists/a.memmap");
        List<String> paths = samplePaths(1000);
        ListMetadata meta = writeList(list, paths, true);

        assertThat(Files.size(list)).isEqualTo(1000L * 120);
        assertThat(Files.size(MemmapListWriter.labelsPathOf(list))).isEqualTo(4000L);
        try (MemmapList l = MemmapList.open(list)) {
            assertThat(l.size()).isEqualTo(1000);
            assertThat(l.hasLabels()).isTrue();
            assertThat(l.baseDir()).isEqualTo(dir.toAbsolutePath().normalize());
            for (int i = 0; i < paths.size(); i++) {
                assertThat(l.pathAt(i)).isEqualTo(paths.get(i));
                assertThat(l.labelAt(i)).isEqualTo(i % 5);
                assertThat(l.resolve(i)).isEqualTo(dir.resolve(paths.get(i)).toAbsolutePath().normalize());
            }
            assertThat(l.metadata().sha256()).isEqualTo(meta.sha256()).isEqualTo(l.computeSha256());
            assertThat(l.metadata().source()).isEqualTo("unit");
            assertThat(l.metadata().seed()).isEqualTo(3L);
            l.verifyChecksum();
        }
        // the sidecar stores the base dir relative to itself, so the tree can move
        assertThat(Sidecars.read(Sidecars.sidecarOf(list)).baseDir()).isEqualTo("..");
        // opening through the sidecar path gives the same list
        try (MemmapList l = MemmapList.open(Sidecars.sidecarOf(list))) {
            assertThat(l.pathAt(999)).isEqualTo(paths.get(999));
        }
    }

    @Test
    void recordsAcrossManyMappedChunksAreAddressedCorrectly() {
        Path list = dir.resolve("chunked.memmap");
        List<String> paths = samplePaths(777);
        writeList(list, paths, true);
        // 1000-byte chunks hold 8 records and 250 labels: every record/label index crosses chunk boundaries
        try (MemmapList l = MemmapList.open(list, null, 1000)) {
            for (int i = 0; i < paths.size(); i++) {
                assertThat(l.pathAt(i)).isEqualTo(paths.get(i));
                assertThat(l.labelAt(i)).isEqualTo(i % 5);
            }
            assertThat(l.computeSha256()).isEqualTo(l.metadata().sha256());
        }
    }

    @Test
    void sidecarLessListIsInferredFromSizeOrTakenFromOptions() throws Exception {
        Path raw = dir.resolve("ref.memmap");
        byte[] bytes = new byte[3 * 64];
        for (int i = 0; i < 3; i++) {
            byte[] p = ("dir/file" + i + ".jpg").getBytes(StandardCharsets.UTF_8);
            System.arraycopy(p, 0, bytes, i * 64, p.length);
        }
        Files.write(raw, bytes);
        try (MemmapList l = MemmapList.open(raw, MemmapList.OpenOptions.defaults().withRecordWidth(64))) {
            assertThat(l.hasSidecar()).isFalse();
            assertThat(l.size()).isEqualTo(3);
            assertThat(l.pathAt(2)).isEqualTo("dir/file2.jpg");
            assertThat(l.baseDir()).isEqualTo(dir.toAbsolutePath().normalize());
            assertThat(l.metadata().role()).isEqualTo("external");
        }
        // explicit count: only a prefix, like numpy.memmap(shape=(2,))
        try (MemmapList l = MemmapList.open(raw, MemmapList.OpenOptions.defaults().withRecordWidth(64).withCount(2L)
                .withBaseDir(dir.resolve("images")).withRewrite(PathRewrite.JPG_TO_256P))) {
            assertThat(l.size()).isEqualTo(2);
            assertThat(l.recordAt(1)).isEqualTo("dir/file1.jpg");
            assertThat(l.pathAt(1)).isEqualTo("dir/file1-256p.jpg");
            assertThat(l.resolve(1)).isEqualTo(dir.resolve("images/dir/file1-256p.jpg").toAbsolutePath().normalize());
        }
        // 192 bytes is 1.6 records of the default width 120
        assertThatThrownBy(() -> MemmapList.open(raw))
                .isInstanceOf(ListFormatException.class)
                .hasMessageContaining("not a multiple of the record width 120");
    }

    @Test
    void whitespaceAroundARecordIsStrippedLikeTheReference() throws Exception {
        Path raw = dir.resolve("ws.memmap");
        byte[] bytes = new byte[32];
        byte[] p = " a/b.png\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(p, 0, bytes, 0, p.length);
        Files.write(raw, bytes);
        try (MemmapList l = MemmapList.open(raw, MemmapList.OpenOptions.defaults().withRecordWidth(32))) {
            assertThat(l.pathAt(0)).isEqualTo("a/b.png");
        }
    }

    @Test
    void absolutePathInsideTheBaseIsAccepted() {
        Path list = dir.resolve("abs.memmap");
        String inside = dir.resolve("x/y.png").toAbsolutePath().normalize().toString();
        try (MemmapListWriter w = MemmapListWriter.create(list, 200, dir, false)) {
            w.add(inside);
            w.commit(null);
        }
        try (MemmapList l = MemmapList.open(list)) {
            assertThat(l.resolve(0).toString()).isEqualTo(inside);
        }
    }

    @Test
    void abandonedWriterLeavesNothingAndARewriteReplacesTheOldListWhole() throws Exception {
        Path list = dir.resolve("w.memmap");
        writeList(list, samplePaths(10), true);
        try (MemmapListWriter w = MemmapListWriter.create(list, 120, dir, true)) {
            w.add("new/one.png", 1);
            // no commit: simulated failure half-way
        }
        try (MemmapList l = MemmapList.open(list)) {
            assertThat(l.size()).isEqualTo(10);
            assertThat(l.pathAt(0)).isEqualTo(samplePaths(10).get(0));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).allMatch(n -> !n.contains(".tmp-"));
        }
        writeList(list, List.of("new/one.png", "new/two.png"), false);
        try (MemmapList l = MemmapList.open(list)) {
            assertThat(l.size()).isEqualTo(2);
            assertThat(l.hasLabels()).isFalse();
            assertThat(l.pathAt(1)).isEqualTo("new/two.png");
        }
        assertThat(MemmapListWriter.labelsPathOf(list)).doesNotExist();
    }

    @Test
    void emptyListIsValid() {
        Path list = dir.resolve("empty.memmap");
        try (MemmapListWriter w = MemmapListWriter.create(list, 120, dir, true)) {
            w.commit(null);
        }
        try (MemmapList l = MemmapList.open(list)) {
            assertThat(l.size()).isZero();
            assertThatThrownBy(() -> l.pathAt(0)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void recordsOfEveryLengthUpToTheFullWidthReadBackAndStrayBytesAfterTheEndAreCaught() throws Exception {
        java.util.Random r = new java.util.Random(17);
        for (int w : new int[]{1, 7, 8, 9, 13, 64, 120}) {
            Path list = dir.resolve("w" + w + ".memmap");
            List<String> paths = new ArrayList<>();
            try (MemmapListWriter wr = MemmapListWriter.create(list, w, dir, false)) {
                for (int i = 0; i < 200; i++) {
                    int len = i < w ? i + 1 : 1 + r.nextInt(w); // every length once, then random ones
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < len; k++) {
                        sb.append((char) ('a' + r.nextInt(26)));
                    }
                    paths.add(sb.toString());
                    wr.add(sb.toString());
                }
                wr.commit(null);
            }
            byte[] bytes = Files.readAllBytes(list);
            try (MemmapList l = MemmapList.open(list)) {
                for (int i = 0; i < paths.size(); i++) {
                    assertThat(l.pathAt(i)).as("width %d record %d", w, i).isEqualTo(paths.get(i));
                }
            }
            // a stray byte anywhere after a record's terminating NUL is an interior NUL
            Path bad = dir.resolve("bad" + w + ".memmap");
            for (int i = 0; i < paths.size(); i += 5) {
                int len = paths.get(i).length();
                if (len + 1 >= w) {
                    continue;
                }
                byte[] copy = bytes.clone();
                int pos = len + 1 + r.nextInt(w - len - 1);
                copy[i * w + pos] = 'x';
                Files.write(bad, copy);
                final int rec = i;
                try (MemmapList l = MemmapList.open(bad, MemmapList.OpenOptions.defaults().withRecordWidth(w))) {
                    assertThatThrownBy(() -> l.pathAt(rec)).as("width %d record %d stray at %d", w, rec, pos)
                            .isInstanceOf(ListFormatException.class).hasMessageContaining("NUL byte at offset " + len);
                }
            }
        }
    }
}
