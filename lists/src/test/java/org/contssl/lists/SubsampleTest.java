package org.contssl.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubsampleTest {

    @TempDir
    Path dir;

    @Test
    void keepsEveryKthRecordAndIndexesByThePostSubsamplePosition() {
        Path src = dir.resolve("stream.memmap");
        int n = 103;
        try (MemmapListWriter w = MemmapListWriter.create(src, 120, dir, true)) {
            for (int i = 0; i < n; i++) {
                w.add("frames/" + i + ".png", i < 50 ? i % 3 : 3 + i % 2);
            }
            w.commit(ListMetadata.builder().role("stream").source("unit").kind("domains").seed(9L).numClasses(5)
                    .domainOrder("01").domains(List.of(new ListMetadata.DomainSpan("D0", 0, 50, "first"),
                            new ListMetadata.DomainSpan("D1", 50, 103, "second"))));
        }
        Path dst = dir.resolve("stream-k4.memmap");
        ListMetadata meta = Subsample.apply(src, 4, dst);

        try (MemmapList in = MemmapList.open(src); MemmapList out = MemmapList.open(dst)) {
            assertThat(out.size()).isEqualTo(103 / 4); // floor(N/k) like the reference: records 0, 4, ..., 96
            for (long i = 0; i < out.size(); i++) {
                // the consumer's index i IS the position in this list; i*k is provenance only
                assertThat(out.pathAt(i)).isEqualTo(in.pathAt(Subsample.sourceIndex(i, 4)));
                assertThat(out.pathAt(i)).isEqualTo("frames/" + (4 * i) + ".png");
                assertThat(out.labelAt(i)).isEqualTo(in.labelAt(4 * i));
            }
            assertThat(out.metadata().subsample().k()).isEqualTo(4);
            assertThat(out.metadata().subsample().sourceCount()).isEqualTo(103);
            assertThat(out.metadata().subsample().sourceSha256()).isEqualTo(in.metadata().sha256());
            assertThat(out.metadata().seed()).isEqualTo(9L);
            // D1 starts at source 50; the first kept record there is source 52 = position 13
            assertThat(out.metadata().domains()).extracting(ListMetadata.DomainSpan::start).containsExactly(0L, 13L);
            assertThat(out.metadata().domains()).extracting(ListMetadata.DomainSpan::end).containsExactly(13L, 25L);
            for (long i = 13; i < 25; i++) {
                assertThat(out.labelAt(i)).isGreaterThanOrEqualTo(3);
            }
            assertThat(meta.diagnostics().classHistogramPerQuarter().stream().flatMap(List::stream)
                    .mapToLong(Long::longValue).sum()).isEqualTo(25);
        }
        assertThatThrownBy(() -> Subsample.apply(src, 0, dir.resolve("x.memmap")))
                .isInstanceOf(ListFormatException.class).hasMessageContaining("data.subsample 0");
    }

    @Test
    void tailShorterThanOneGlobalBatchIsDroppedAndCounted() {
        BatchTail t = BatchTail.of(20_000, 256, 1);
        assertThat(t.kept()).isEqualTo(19_968);
        assertThat(t.dropped()).isEqualTo(32);
        assertThat(t.batches()).isEqualTo(78);
        // the reference's Section 6 numbers (docs/reference-system.md, step accounting): 3,189,346 records, W=4, b=64
        BatchTail s6 = BatchTail.of(3_189_346, 64, 4);
        assertThat(s6.kept() / 4).isEqualTo(797_312);
        assertThat(s6.dropped()).isEqualTo(3_189_346 - 3_189_248);
        assertThat(BatchTail.of(100, 256, 1).kept()).isZero();
    }
}
