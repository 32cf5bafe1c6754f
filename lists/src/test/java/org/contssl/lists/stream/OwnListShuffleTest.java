package org.contssl.lists.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.contssl.lists.FeistelPermutation;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.StreamDiagnostics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lists job on a small labelled own list: the documented order, labels, diagnostics, stability, no leftovers. */
class OwnListShuffleTest {

    @TempDir
    Path dir;

    @Test
    void iidStreamOfAnOwnListIsTheDocumentedFeistelOrderAndStableAcrossRuns() throws Exception {
        Path base = Files.createDirectories(dir.resolve("photos"));
        Path own = dir.resolve("own.memmap");
        int n = 777;
        try (MemmapListWriter w = MemmapListWriter.create(own, 120, base, true)) {
            for (int i = 0; i < n; i++) {
                w.add("c" + (i % 4) + "/p" + i + ".jpg", i % 4);
            }
            w.commit(ListMetadata.builder().role("own").numClasses(4));
        }
        StreamPlan a = StreamPlanner.build(StreamRequest.builder(dir.resolve("runA")).trainFilelist(own)
                .kind(StreamKind.IID).seed(5).oodProbe(false).build());
        StreamPlan b = StreamPlanner.build(StreamRequest.builder(dir.resolve("runB")).trainFilelist(own)
                .kind(StreamKind.IID).seed(5).oodProbe(false).build());
        StreamPlan c = StreamPlanner.build(StreamRequest.builder(dir.resolve("runC")).trainFilelist(own)
                .kind(StreamKind.IID).seed(6).oodProbe(false).build());

        FeistelPermutation sigma = new FeistelPermutation(n,
                Seeds.derive(5, "shuffle:list:" + own.toAbsolutePath().normalize()));
        int[] labels = new int[n];
        try (MemmapList src = MemmapList.open(own); MemmapList s = MemmapList.open(a.streamList());
             MemmapList sb = MemmapList.open(b.streamList()); MemmapList sc = MemmapList.open(c.streamList())) {
            assertThat(s.size()).isEqualTo(n);
            int differs = 0;
            for (long p = 0; p < n; p++) {
                assertThat(s.recordAt(p)).isEqualTo(src.recordAt(sigma.apply(p)));
                assertThat(s.labelAt(p)).isEqualTo(src.labelAt(sigma.apply(p)));
                differs += s.recordAt(p).equals(sc.recordAt(p)) ? 0 : 1;
                labels[(int) p] = s.labelAt(p);
            }
            assertThat(differs).isGreaterThan(n - 20);
            assertThat(sb.metadata().sha256()).isEqualTo(s.metadata().sha256());
            assertThat(s.metadata().diagnostics()).isEqualTo(StreamDiagnostics.ofLabels(labels, 4));
            assertThat(s.resolve(0).startsWith(base.toAbsolutePath())).isTrue();
        }
        try (var files = Files.list(dir.resolve("runA/lists"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(List.of("plan.json", "stream.memmap", "stream.memmap.json",
                            "stream.memmap.labels"));
        }
    }
}
