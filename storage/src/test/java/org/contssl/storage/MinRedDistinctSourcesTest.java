package org.contssl.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: on a stream of near-duplicate runs (each source contributes a run of consecutive, nearly identical
 * samples, like frames of one video), MinRed keeps many more distinct sources than FIFO of the same size.
 */
class MinRedDistinctSourcesTest {
    @TempDir
    Path dir;

    static final int RUN = 32;      // samples per source
    static final int B = 32;        // chunk / batch size
    static final int CAP = 256;
    static final int R = 4;

    private int distinctSourcesAfterStream(BufferPolicy policy, Path d) {
        int dim = 24;
        TestFeatures feats = new TestFeatures(TestFeatures.Kind.RANDOM, dim, 3);
        Random noise = new Random(11);
        try (ReplayBuffer buf = ReplayBuffers.create(BufferSpec.of(policy, CAP, dim, 1), d)) {
            long next = 0;
            for (int chunk = 0; chunk < 120; chunk++) {
                long[] ids = LongStream.range(next, next + B).toArray();
                int[] labels = new int[B];
                for (int i = 0; i < B; i++) {
                    labels[i] = (int) (ids[i] / RUN);
                }
                next += B;
                buf.insert(ids, labels);
                if (!buf.isFull()) {
                    continue;
                }
                for (int s = 0; s < R; s++) {
                    long[] batch = buf.sample(B);
                    float[] loss = new float[B], sim = new float[B];
                    float[][] f = new float[B][];
                    for (int i = 0; i < B; i++) {
                        // the source's direction plus a little per-view noise
                        float[] base = feats.feature(batch[i] / RUN, 0);
                        float[] v = new float[dim];
                        for (int k = 0; k < dim; k++) {
                            v[k] = base[k] + 0.05f * (float) noise.nextGaussian();
                        }
                        f[i] = TestFeatures.normalize(v);
                        loss[i] = -0.5f;
                        sim[i] = 0.9f;
                    }
                    buf.updateStats(batch, loss, sim, f);
                }
            }
            BufferDiagnostics d0 = buf.diagnostics();
            assertThat(d0.size()).isEqualTo(CAP);
            return d0.distinctLabels();
        }
    }

    @Test
    void minRedHoldsManyMoreDistinctSourcesThanFifo() {
        int fifo = distinctSourcesAfterStream(BufferPolicy.FIFO, dir.resolve("fifo"));
        int minred = distinctSourcesAfterStream(BufferPolicy.MINRED, dir.resolve("minred"));
        System.out.println("distinct sources: fifo " + fifo + ", minred " + minred + " (capacity " + CAP + ", runs of " + RUN + ")");
        assertThat(fifo).isEqualTo(CAP / RUN); // the last 8 runs
        assertThat(minred).as("MinRed distinct sources vs FIFO's %d", fifo).isGreaterThanOrEqualTo(4 * fifo);
    }
}
