package org.contssl.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** Modules applied in order. */
public final class Sequential implements Module {
    private final List<Module> modules = new ArrayList<>();

    Sequential add(Module m) {
        modules.add(m);
        return this;
    }

    @Override
    public NDArray forward(Ctx ctx, NDArray x) {
        NDArray h = x;
        for (Module m : modules) {
            h = m.forward(ctx, h);
        }
        return h;
    }

    @Override
    public long[] outputShape(long[] s) {
        long[] h = s;
        for (Module m : modules) {
            h = m.outputShape(h);
        }
        return h;
    }

    @Override
    public long macs(long[] s) {
        long total = 0;
        long[] h = s;
        for (Module m : modules) {
            total += m.macs(h);
            h = m.outputShape(h);
        }
        return total;
    }

    List<Module> modules() {
        return modules;
    }
}
