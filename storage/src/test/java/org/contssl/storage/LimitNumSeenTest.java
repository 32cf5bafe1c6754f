package org.contssl.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MinRed's optional limit_num_seen: an entry trained that many times leaves the buffer at once. */
class LimitNumSeenTest {
    @TempDir
    Path dir;

    @Test
    void entriesTrainedLimitTimesAreDropped() {
        BufferSpec spec = BufferSpec.of(BufferPolicy.MINRED, 32, 8, 2).withLimitNumSeen(2);
        TestFeatures feats = new TestFeatures(TestFeatures.Kind.RANDOM, 8, 2);
        try (ReplayBuffer b = ReplayBuffers.create(spec, dir)) {
            b.insert(LongStream.range(0, 32).toArray(), null);
            long[] one = {5, 6};
            float[][] f = {feats.feature(5, 0), feats.feature(6, 0)};
            b.updateStats(one, new float[2], new float[2], f);
            assertThat(b.contains(5)).isTrue();
            b.updateStats(new long[] {5}, new float[1], new float[1], new float[][] {feats.feature(5, 1)});
            assertThat(b.contains(5)).isFalse();
            assertThat(b.contains(6)).isTrue();
            assertThat(b.size()).isEqualTo(31);
            assertThat(b.isFull()).isFalse();
            // statistics for a position no longer held are ignored
            b.updateStats(new long[] {5}, new float[1], new float[1], new float[][] {feats.feature(5, 2)});
            assertThat(b.size()).isEqualTo(31);
        }
    }
}
