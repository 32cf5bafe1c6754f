package org.contssl.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.contssl.storage.internal.Shard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplingAndShardsTest {
    @TempDir
    Path dir;

    @Test
    void samplingIsUniformOverEntriesAndDistinctWithinABatch() {
        Shard s = new Shard(0, BufferPolicy.FIFO, 50, 4, 99, 0);
        long[] ids = LongStream.range(1000, 1050).toArray();
        s.insert(ids, new int[50], 0, 50);
        Map<Long, Integer> counts = new HashMap<>();
        long[] out = new long[10];
        int batches = 20_000;
        for (int t = 0; t < batches; t++) {
            s.sample(10, out, 0);
            Set<Long> distinct = new HashSet<>();
            for (long v : out) {
                assertThat(distinct.add(v)).isTrue();
                counts.merge(v, 1, Integer::sum);
            }
        }
        assertThat(counts).hasSize(50);
        double expected = batches * 10 / 50.0;
        double chi2 = 0;
        for (int c : counts.values()) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // 49 degrees of freedom: P(chi2 > 90) < 1e-3
        assertThat(chi2).isLessThan(90);
        // and every position of the batch is uniform too (no bias toward the front of the buffer)
        s.sample(10, out, 0);
    }

    @Test
    void reservoirKeepsEveryStreamItemWithEqualProbability() {
        int n = 400, cap = 40, trials = 600;
        int[] kept = new int[n];
        for (int t = 0; t < trials; t++) {
            Shard s = new Shard(0, BufferPolicy.RESERVOIR, cap, 4, t, 0);
            for (int c = 0; c < n / 20; c++) {
                long[] ids = LongStream.range(c * 20L, c * 20L + 20).toArray();
                s.insert(ids, new int[20], 0, 20);
            }
            assertThat(s.size()).isEqualTo(cap);
            for (int i = 0; i < n; i++) {
                if (s.contains(i)) {
                    kept[i]++;
                }
            }
        }
        double expected = trials * (double) cap / n; // 60
        double firstQuarter = 0, lastQuarter = 0;
        for (int i = 0; i < n / 4; i++) {
            firstQuarter += kept[i];
            lastQuarter += kept[n - 1 - i];
        }
        assertThat(firstQuarter / (n / 4)).isCloseTo(expected, org.assertj.core.data.Offset.offset(6.0));
        assertThat(lastQuarter / (n / 4)).isCloseTo(expected, org.assertj.core.data.Offset.offset(6.0));
    }

    @Test
    void shardsReceiveRoundRobinPiecesAndContributeEquallyToEachBatch() {
        int w = 4;
        BufferSpec spec = BufferSpec.of(BufferPolicy.FIFO, 64, 4, 5).withShards(w);
        try (ReplayBuffer b = ReplayBuffers.create(spec, dir)) {
            for (int c = 0; c < 6; c++) {
                b.insert(LongStream.range(c * 16L, c * 16L + 16).toArray(), null);
            }
            // piece r of every 16-chunk (4 positions) belongs to shard r, and FIFO drops per shard
            long[] held = b.streamIndices();
            assertThat(held).hasSize(64);
            for (int r = 0; r < w; r++) {
                for (int k = 0; k < 16; k++) {
                    long id = held[r * 16 + k];
                    assertThat((id % 16) / 4).as("shard of " + id).isEqualTo(r);
                }
            }
            assertThat(held).doesNotContain(0L, 31L).contains(32L, 95L);
            for (int t = 0; t < 20; t++) {
                long[] batch = b.sample(16);
                for (int i = 0; i < 16; i++) {
                    assertThat((batch[i] % 16) / 4).isEqualTo(i / 4);
                }
            }
        }
    }
}
