package org.contssl.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FifoBufferTest {
    @TempDir
    Path dir;

    static long[] chunk(long start, int n) {
        return LongStream.range(start, start + n).toArray();
    }

    @Test
    void keepsTheNewestEntriesInArrivalOrder() {
        try (ReplayBuffer b = ReplayBuffers.create(BufferSpec.of(BufferPolicy.FIFO, 40, 8, 1), dir)) {
            b.insert(chunk(0, 16), null);
            assertThat(b.isFull()).isFalse();
            b.insert(chunk(16, 16), null);
            b.insert(chunk(32, 16), null);
            assertThat(b.isFull()).isTrue();
            assertThat(b.size()).isEqualTo(40);
            assertThat(b.streamIndices()).containsExactly(chunk(8, 40));
            assertThat(b.lastEvicted()).containsExactly(chunk(0, 8));
            b.insert(chunk(48, 16), null);
            assertThat(b.streamIndices()).containsExactly(chunk(24, 40));
        }
    }

    @Test
    void samplesDistinctEntriesWhenEnoughAndWithReplacementOtherwise() {
        try (ReplayBuffer b = ReplayBuffers.create(BufferSpec.of(BufferPolicy.FIFO, 64, 4, 7), dir)) {
            b.insert(chunk(100, 8), null);
            long[] s = b.sample(16); // fewer entries than the batch: with replacement, all from the buffer
            assertThat(s).hasSize(16);
            assertThat(Arrays.stream(s).allMatch(b::contains)).isTrue();
            b.insert(chunk(200, 56), null);
            for (int t = 0; t < 50; t++) {
                long[] x = b.sample(32);
                Set<Long> seen = new HashSet<>();
                for (long v : x) {
                    assertThat(b.contains(v)).isTrue();
                    assertThat(seen.add(v)).as("distinct within a batch").isTrue();
                }
            }
        }
    }

    @Test
    void rejectsDuplicatesAndBadChunks() {
        try (ReplayBuffer b = ReplayBuffers.create(BufferSpec.of(BufferPolicy.FIFO, 64, 4, 7).withShards(2), dir)) {
            b.insert(chunk(0, 8), null);
            assertThatThrownBy(() -> b.insert(chunk(4, 8), null)).hasMessageContaining("already in the buffer");
            assertThatThrownBy(() -> b.insert(chunk(50, 7), null)).hasMessageContaining("not divisible");
            assertThatThrownBy(() -> b.sample(3)).hasMessageContaining("multiple");
        }
    }
}
