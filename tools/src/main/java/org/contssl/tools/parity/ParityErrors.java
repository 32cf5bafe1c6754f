package org.contssl.tools.parity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.contssl.model.ModelState;
import org.contssl.model.nn.Kind;

/**
 * Error metrics of the parity check: per step, the loss's relative error and the largest relative error over every
 * gradient, updated weight and batch-norm running statistic (each relative to the reference tensor's largest
 * magnitude), with the tensor it came from.
 */
final class ParityErrors {
    static final double LOSS_TOL = 1e-5;
    static final double TENSOR_TOL = 1e-4;
    /** BN running statistics that are ~0 by construction are compared with this absolute floor on the scale. */
    static final double BUFFER_SCALE_FLOOR = 1e-3;

    private ParityErrors() {}

    /** One step's largest relative errors of {@code a} against {@code b}. */
    static final class Errors {
        double loss;
        float lossA;
        float lossB;
        final Worst grad = new Worst();
        final Worst weight = new Worst();
        final Worst buffer = new Worst();

        boolean withinTolerance() {
            return loss <= LOSS_TOL && grad.value <= TENSOR_TOL && weight.value <= TENSOR_TOL
                    && buffer.value <= TENSOR_TOL;
        }

        void put(ObjectNode n) {
            n.put("loss", lossA);
            n.put("loss_reference", lossB);
            n.put("loss_rel", loss);
            grad.put(n, "gradients");
            weight.put(n, "weights");
            buffer.put(n, "bn_running_stats");
        }
    }

    static Errors errors(ModelState init, Map<String, float[]> a, Map<String, float[]> b, String p)
            throws IOException {
        Errors e = new Errors();
        e.lossA = need(a, p + "loss")[0];
        e.lossB = need(b, p + "loss")[0];
        e.loss = Math.abs((double) e.lossA - e.lossB) / Math.max(Math.abs(e.lossB), 1e-12);
        int grads = 0;
        for (Map.Entry<String, ModelState.Tensor> t : init.tensors().entrySet()) {
            String name = t.getKey();
            Kind kind = t.getValue().kind();
            if (kind == Kind.TRAINABLE) {
                e.grad.offer(name, relErr(need(a, p + "grad/" + name), need(b, p + "grad/" + name), 0));
                grads++;
            }
            float[] at = need(a, p + "tensor/" + name);
            float[] bt = need(b, p + "tensor/" + name);
            switch (kind) {
                case TRAINABLE, FROZEN -> e.weight.offer(name, relErr(at, bt, 0));
                case BUFFER -> e.buffer.offer(name, relErr(at, bt, BUFFER_SCALE_FLOOR));
                default -> throw new IllegalStateException(kind.toString());
            }
        }
        if (b.keySet().stream().filter(k -> k.startsWith(p + "grad/")).count() != grads) {
            throw new IOException("torch reported a different set of gradients than contssl "
                    + "(frozen/trainable tensors disagree)");
        }
        return e;
    }

    static Map<String, float[]> prefixed(Map<String, float[]> all, String prefix) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : all.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out;
    }

    /** Largest error over tensors and the tensor it came from. */
    static final class Worst {
        double value;
        String name = "";

        void offer(String n, double v) {
            if (name.isEmpty() || v > value) {
                value = v;
                name = n;
            }
        }

        void put(ObjectNode node, String key) {
            ObjectNode o = node.putObject(key);
            o.put("max_rel", value);
            o.put("worst", name);
        }
    }

    /** max|a − b| / max(max|b|, floor). */
    static double relErr(float[] a, float[] b, double floor) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double scale = floor;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static float[] need(Map<String, float[]> m, String key) throws IOException {
        float[] v = m.get(key);
        if (v == null) {
            throw new IOException("parity record " + key + " is missing (model layouts differ?)");
        }
        return v;
    }
}
