package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All named tensors of one network, in creation (= state_dict) order, owned by one long-lived manager. Initial values
 * come from Java-side RNGs seeded per tensor, so initialisation is bit-identical on every machine and engine.
 */
public final class ParamStore implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, Param> params = new LinkedHashMap<>();

    public ParamStore(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    public NDManager manager() {
        return manager;
    }

    Param add(String name, long[] shape, Kind kind, Group group, float[] init) {
        if (params.containsKey(name)) {
            throw new IllegalStateException("duplicate parameter name " + name);
        }
        Param p = new Param(name, shape, kind, group, Tensors.copyOf(manager, init, shape));
        params.put(name, p);
        return p;
    }

    /** A constant (not saved, not trained), e.g. the implicit γ = 1 / β = 0 of an affine-free batch norm. */
    NDArray constant(float[] values, long... shape) {
        return Tensors.copyOf(manager, values, shape);
    }

    public List<Param> all() {
        return Collections.unmodifiableList(new ArrayList<>(params.values()));
    }

    public List<Param> trainable() {
        List<Param> out = new ArrayList<>();
        for (Param p : params.values()) {
            if (p.trainable()) {
                out.add(p);
            }
        }
        return out;
    }

    public Param get(String name) {
        Param p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return p;
    }

    public boolean contains(String name) {
        return params.containsKey(name);
    }

    /** Replaces a tensor's value with a copy of {@code data} (shape must match). */
    public void set(String name, float[] data) {
        Param p = get(name);
        if (data.length != p.size()) {
            throw new IllegalArgumentException(
                    "parameter " + name + " needs " + p.size() + " values but got " + data.length);
        }
        NDArray fresh = Tensors.copyOf(manager, data, p.shape());
        p.value.close();
        p.value = fresh;
    }

    /** Number of trainable scalars (what torchvision's parameter counts report, frozen bias excluded). */
    public long trainableCount() {
        long n = 0;
        for (Param p : params.values()) {
            if (p.trainable()) {
                n += p.size();
            }
        }
        return n;
    }

    /** Number of scalars in all parameters (trainable + frozen), i.e. torch's {@code sum(p.numel() for p in parameters())}. */
    public long parameterCount() {
        long n = 0;
        for (Param p : params.values()) {
            if (p.kind() != Kind.BUFFER) {
                n += p.size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
