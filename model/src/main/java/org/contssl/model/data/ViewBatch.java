package org.contssl.model.data;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The result of one {@link AugmentPool} batch: sample {@code i}'s first view occupies
 * {@code view1[i * sampleLength .. (i+1) * sampleLength)} as CHW floats, likewise {@code view2} (null for eval
 * batches). Failed samples are listed in {@link #failures()} (ascending index) and their slots hold zeros.
 */
public final class ViewBatch {

    private final int n;
    private final int sampleLength;
    private final float[] view1;
    private final float[] view2;
    private final List<SampleFailure> failures;
    private final boolean[] failed;
    private final long workNanos;
    /** Set once the arrays went back to their pool ({@link AugmentPool#recycle}): a second recycle is a no-op. */
    final AtomicBoolean recycled = new AtomicBoolean();
    /** Whether the pool allocated the arrays (only those may be recycled; a caller's own arrays stay the caller's). */
    final boolean poolOwned;

    ViewBatch(int n, int sampleLength, float[] view1, float[] view2, List<SampleFailure> failures, long workNanos,
              boolean poolOwned) {
        this.poolOwned = poolOwned;
        this.n = n;
        this.sampleLength = sampleLength;
        this.view1 = view1;
        this.view2 = view2;
        this.failures = List.copyOf(failures);
        this.failed = new boolean[n];
        for (SampleFailure f : failures) {
            failed[f.index()] = true;
        }
        this.workNanos = workNanos;
    }

    /** Number of samples submitted (including failed ones). */
    public int size() {
        return n;
    }

    /** Floats per sample and view: channels × size × size. */
    public int sampleLength() {
        return sampleLength;
    }

    public float[] view1() {
        return view1;
    }

    /** Second view, or null for an eval batch. */
    public float[] view2() {
        return view2;
    }

    public List<SampleFailure> failures() {
        return failures;
    }

    public boolean ok(int i) {
        return !failed[i];
    }

    /** Number of samples that decoded. */
    public int okCount() {
        return n - failures.size();
    }

    /** Indices of the samples that decoded, ascending. */
    public int[] okIndices() {
        int[] r = new int[okCount()];
        for (int i = 0, k = 0; i < n; i++) {
            if (!failed[i]) {
                r[k++] = i;
            }
        }
        return r;
    }

    /** CPU time the pool's threads spent on this batch (decode + transforms), summed over threads. */
    public long workNanos() {
        return workNanos;
    }
}
