package org.contssl.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import java.util.stream.LongStream;
import org.contssl.storage.internal.Dots;
import org.contssl.storage.internal.Tuning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The incremental MinRed must make exactly the choices of the full-matrix method: same evicted entries in the same
 * order, same survivors in the same order, same neighbour similarities, over many seeds and feature kinds.
 */
class MinRedEquivalenceTest {
    @TempDir
    Path dir;

    @Test
    void kernelsAgreeWithTheCanonicalArithmeticBitForBit() {
        Random r = new Random(5);
        for (int dim : new int[] {1, 7, 16, 40, 512, 2048}) {
            int p = Dots.stride(dim);
            int rows = 11;
            float[] f = new float[rows * p];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < dim; j++) {
                    f[i * p + j] = (float) r.nextGaussian();
                }
            }
            int[] ids = new int[rows];
            for (int i = 0; i < rows; i++) {
                ids[i] = i;
            }
            float[] g = new float[rows * rows];
            Dots.gram(f, p, ids, 0, rows, ids, 0, rows, g);
            for (int i = 0; i < rows; i++) {
                float[] a = java.util.Arrays.copyOfRange(f, i * p, (i + 1) * p);
                for (int j = 0; j < rows; j++) {
                    float[] b = java.util.Arrays.copyOfRange(f, j * p, (j + 1) * p);
                    float ref = FullMatrixMinRed.dot(a, b);
                    assertThat(Float.floatToRawIntBits(g[i * rows + j])).isEqualTo(Float.floatToRawIntBits(ref));
                    assertThat(Float.floatToRawIntBits(Dots.dot(f, i * p, j * p, p)))
                            .isEqualTo(Float.floatToRawIntBits(ref));
                    assertThat(Float.floatToRawIntBits(Dots.scalarDot(f, i * p, j * p, p)))
                            .isEqualTo(Float.floatToRawIntBits(ref));
                }
            }
        }
    }

    @Test
    void vectorKernelIsActiveUnderTheTestFlags() {
        // surefire passes --add-modules jdk.incubator.vector; without it the scalar fallback would run (same bits)
        assertThat(Dots.vectorized()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TestFeatures.Kind.class)
    void evictionSequencesMatchTheFullMatrixMethod(TestFeatures.Kind kind) {
        int greedyRounds = 0;
        for (int seed = 0; seed < 12; seed++) {
            greedyRounds += runCase(kind, seed);
        }
        assertThat(greedyRounds).as("the greedy branch must actually be exercised").isGreaterThan(50);
    }

    @ParameterizedTest
    @EnumSource(TestFeatures.Kind.class)
    void multiThreadedPathsMakeTheSameChoices(TestFeatures.Kind kind) {
        int before = Tuning.parallelThreshold();
        Tuning.setParallelThreshold(1); // split every Gram product, rebuild and refresh over threads
        try {
            for (int seed = 100; seed < 104; seed++) {
                runCase(kind, seed);
            }
        } finally {
            Tuning.setParallelThreshold(before);
        }
    }

    private int runCase(TestFeatures.Kind kind, long seed) {
        Random r = new Random(seed);
        int dim = new int[] {8, 20, 32, 50}[r.nextInt(4)];
        int b = 16;
        int cap = b * (3 + r.nextInt(5));
        int steps = 1 + r.nextInt(4);
        TestFeatures feats = new TestFeatures(kind, dim, seed);
        FullMatrixMinRed ref = new FullMatrixMinRed(cap, dim);
        int greedy = 0;
        try (ReplayBuffer buf = ReplayBuffers.create(BufferSpec.of(BufferPolicy.MINRED, cap, dim, seed), dir)) {
            long next = 0;
            int[] updates = new int[100_000];
            for (int chunk = 0; chunk < 30; chunk++) {
                long[] ids = LongStream.range(next, next + b).toArray();
                next += b;
                buf.insert(ids, null);
                ref.insert(ids);
                String at = kind + " seed " + seed + " chunk " + chunk;
                assertThat(buf.lastEvicted()).as("evicted at " + at).containsExactly(ref.lastEvicted);
                assertThat(buf.streamIndices()).as("order at " + at).containsExactly(ref.order());
                double mb = buf.diagnostics().meanNeighbourSimilarity();
                double mr = ref.meanNeighbourSimilarity();
                assertThat(Double.isNaN(mb) ? "NaN" : Double.toString(mb)).as("neighbour sim at " + at)
                        .isEqualTo(Double.isNaN(mr) ? "NaN" : Double.toString(mr));
                if (ref.lastEvicted.length > 0 && buf.diagnostics().seenCount() >= 2 * b) {
                    greedy++;
                }
                if (buf.size() < cap) {
                    continue; // fill phase: no training
                }
                for (int s = 0; s < steps; s++) {
                    long[] batch = buf.sample(b);
                    float[] loss = new float[b], sim = new float[b];
                    float[][] f = new float[b][];
                    for (int i = 0; i < b; i++) {
                        loss[i] = r.nextFloat();
                        sim[i] = r.nextFloat();
                        f[i] = feats.feature(batch[i], updates[(int) batch[i]]++);
                    }
                    buf.updateStats(batch, loss, sim, f);
                    for (int i = 0; i < b; i++) {
                        ref.update(batch[i], loss[i], sim[i], f[i]);
                    }
                }
            }
        }
        return greedy;
    }
}
