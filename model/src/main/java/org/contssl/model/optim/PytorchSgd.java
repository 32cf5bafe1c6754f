package org.contssl.model.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code torch.optim.SGD} semantics (momentum μ, dampening 0, no Nesterov, weight decay λ):
 * {@code d = g + λw; v = d (first step) or μv + d; w = w − lr·v}. DJL's built-in SGD puts lr inside the momentum
 * ({@code v = μv + lr·d; w = w − v}), which differs as soon as the LR changes between steps.
 *
 * <p>Momentum buffers are keyed by parameter name and can be read and replaced exactly, which DJL's optimizers do not
 * allow.
 */
public final class PytorchSgd implements AutoCloseable {
    private final float momentum;
    private final float weightDecay;
    private final NDManager stateManager;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();

    public PytorchSgd(NDManager parent, double momentum, double weightDecay) {
        if (momentum < 0 || momentum >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException(
                    "optim.momentum must be in [0, 1) and optim.weight_decay >= 0, got " + momentum + ", "
                            + weightDecay);
        }
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.stateManager = parent.newSubManager();
    }

    /**
     * One update of one tensor.
     *
     * @param name the parameter's name (momentum buffer key)
     * @param weight a tensor sharing storage with the parameter; updated in place
     * @param grad this step's gradient; consumed (it may become the momentum buffer or be modified in place)
     * @param lr this step's learning rate for the parameter's group
     */
    public void update(String name, NDArray weight, NDArray grad, float lr) {
        NDManager scratch = grad.getManager();
        NDArray d = grad;
        if (weightDecay != 0f) {
            NDArray decay = weight.mul(weightDecay);
            decay.attach(scratch);
            d.addi(decay); // g + λw (addition commutes exactly)
            decay.close();
        }
        NDArray v;
        if (momentum == 0f) {
            v = d;
        } else {
            v = buffers.get(name);
            if (v == null) {
                v = d; // PyTorch initialises the buffer with the first d (no μ·0 term)
                v.attach(stateManager);
                buffers.put(name, v);
            } else {
                v.muli(momentum).addi(d);
            }
        }
        NDArray delta = v.mul(lr);
        delta.attach(scratch);
        weight.subi(delta);
        delta.close();
    }

    public float momentum() {
        return momentum;
    }

    public float weightDecay() {
        return weightDecay;
    }

    /** Live momentum buffers by parameter name (parameters not yet updated have none). */
    public Map<String, NDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** The momentum buffer as floats, or null. */
    public float[] buffer(String name) {
        NDArray v = buffers.get(name);
        return v == null ? null : v.toFloatArray();
    }

    /** Replaces (or with {@code values == null} removes) a momentum buffer. */
    public void setBuffer(String name, float[] values, long[] shape) {
        NDArray old = buffers.remove(name);
        if (old != null) {
            old.close();
        }
        if (values != null) {
            buffers.put(name, org.contssl.model.nn.Tensors.copyOf(stateManager, values, shape));
        }
    }

    /** Drops every momentum buffer (a fresh optimizer). */
    public void reset() {
        for (NDArray v : buffers.values()) {
            v.close();
        }
        buffers.clear();
    }

    @Override
    public void close() {
        buffers.clear();
        stateManager.close();
    }
}
