package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One forward pass: the step-scoped manager every intermediate is attached to, train/eval mode, how many augmented
 * views are interleaved along the batch dimension (batch norm normalises each view on its own, as the reference's two
 * separate forward passes do), and the tensors the graph reads.
 *
 * <p>In training, each trainable parameter enters the graph as a fresh leaf that shares storage with the stored
 * value ({@code detach()}): autograd then hands back a newly allocated gradient every step (no zeroing, no
 * accumulate-into copy, like PyTorch's {@code zero_grad(set_to_none=True)}), and the leaf and its gradient die with the
 * step's manager.
 */
public final class Ctx {
    private final NDManager manager;
    private final boolean training;
    private final int views;
    private final Map<Param, NDArray> leaves = new IdentityHashMap<>();

    private Ctx(NDManager manager, boolean training, int views) {
        if (views < 1) {
            throw new IllegalArgumentException("views must be >= 1, got " + views);
        }
        this.manager = manager;
        this.training = training;
        this.views = views;
    }

    /** Train mode with gradient leaves for every trainable parameter in {@code params}. */
    public static Ctx training(NDManager stepManager, List<Param> params, int views) {
        Ctx ctx = new Ctx(stepManager, true, views);
        for (Param p : params) {
            if (p.trainable()) {
                NDArray leaf = p.value().stopGradient();
                leaf.attach(stepManager);
                leaf.setRequiresGradient(true);
                ctx.leaves.put(p, leaf);
            }
        }
        return ctx;
    }

    /** Eval mode (running statistics), no gradients. */
    public static Ctx eval(NDManager stepManager) {
        return new Ctx(stepManager, false, 1);
    }

    public NDManager manager() {
        return manager;
    }

    public boolean training() {
        return training;
    }

    public int views() {
        return views;
    }

    /** The tensor the graph should read for {@code p}. */
    public NDArray t(Param p) {
        NDArray leaf = leaves.get(p);
        return leaf != null ? leaf : p.value();
    }

    /** The gradient leaf of a trainable parameter (null outside training). */
    public NDArray leaf(Param p) {
        return leaves.get(p);
    }
}
