package org.contssl.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * A deterministic training-like workload for persistence tests: chunk c inserts positions [c b, (c+1) b), and once
 * the buffer is full runs R steps of sample + statistics update whose values depend only on (position, update count).
 * Records everything observable so two runs can be compared.
 */
final class Workload {
    final int b;
    final int r;
    final TestFeatures feats;
    final int[] updates = new int[1 << 16];
    final List<String> log = new ArrayList<>();
    /** Called after every buffer operation (insert, sample, statistics update). */
    java.util.function.Consumer<ReplayBuffer> afterOp = b -> { };

    /** What a buffer looks like from outside (positions in order and every diagnostic), for state comparisons. */
    static String fingerprint(ReplayBuffer buf) {
        BufferDiagnostics d = buf.diagnostics();
        return Arrays.toString(buf.streamIndices()) + " " + d.seenCount() + " " + d.meanNumSeen() + " "
                + d.maxNumSeen() + " " + d.meanLoss() + " " + d.meanViewSimilarity() + " "
                + d.meanNeighbourSimilarity() + " " + Arrays.toString(d.ageHistogram()) + " " + d.labelCounts();
    }

    Workload(int b, int r, int dim, long seed) {
        this.b = b;
        this.r = r;
        this.feats = new TestFeatures(TestFeatures.Kind.CLUSTERED, dim, seed);
    }

    void chunk(ReplayBuffer buf, int c) {
        long[] ids = LongStream.range((long) c * b, (long) (c + 1) * b).toArray();
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = (int) (ids[i] % 10);
        }
        buf.insert(ids, labels);
        afterOp.accept(buf);
        log.add("chunk " + c + " evicted " + Arrays.toString(buf.lastEvicted()));
        if (!buf.isFull()) {
            return;
        }
        for (int s = 0; s < r; s++) {
            long[] batch = buf.sample(b);
            afterOp.accept(buf);
            log.add("sample " + Arrays.toString(batch));
            float[] loss = new float[b], sim = new float[b];
            float[][] f = new float[b][];
            for (int i = 0; i < b; i++) {
                int u = updates[(int) batch[i]]++;
                Random v = new Random(batch[i] * 31 + u);
                loss[i] = v.nextFloat();
                sim[i] = v.nextFloat();
                f[i] = feats.feature(batch[i], u);
            }
            buf.updateStats(batch, loss, sim, f);
            afterOp.accept(buf);
        }
        BufferDiagnostics d = buf.diagnostics();
        log.add("diag " + d.size() + " " + d.seenCount() + " " + d.meanNumSeen() + " " + d.meanLoss() + " "
                + d.meanNeighbourSimilarity() + " " + Arrays.toString(d.ageHistogram()) + " " + d.labelCounts());
    }

    Workload copyCounters() {
        Workload w = new Workload(b, r, feats.dim, feats.seed);
        System.arraycopy(updates, 0, w.updates, 0, updates.length);
        return w;
    }
}
