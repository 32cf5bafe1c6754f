package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * One named model tensor. Names are those of a PyTorch SimSiam whose encoder is {@code Sequential(backbone,
 * projector)} ({@code encoder.0.layer1.0.conv1.weight}, {@code predictor.3.bias}, ...), the layout the parity script
 * builds; the reference's own checkpoint keys differ and are mapped by {@link org.contssl.model.io.ReferenceNames}.
 */
public final class Param {
    private final String name;
    private final long[] shape;
    private final Kind kind;
    private final Group group;
    NDArray value;

    Param(String name, long[] shape, Kind kind, Group group, NDArray value) {
        this.name = name;
        this.shape = shape.clone();
        this.kind = kind;
        this.group = group;
        this.value = value;
    }

    public String name() {
        return name;
    }

    public long[] shape() {
        return shape.clone();
    }

    public Kind kind() {
        return kind;
    }

    public Group group() {
        return group;
    }

    public boolean trainable() {
        return kind == Kind.TRAINABLE;
    }

    /** Number of scalars. */
    public int size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** The live tensor (owned by the {@link ParamStore}); callers must not close it. */
    public NDArray value() {
        return value;
    }
}
