package org.contssl.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.contssl.model.nn.Kind;
import org.contssl.model.optim.LrSchedule;

/**
 * A saved SimSiam state: architecture, every named tensor (parameters, frozen bias, BN running statistics) and,
 * optionally, the optimizer (step counter, settings, momentum buffers). Floats are stored as their exact bit patterns,
 * so save → load is the identity.
 *
 * <p>Format (big-endian): UTF magic, int version, architecture, optimizer section, tensors (name, kind, shape, data),
 * momentum buffers (name, data).
 */
public final class ModelState {
    static final String MAGIC = "contssl-simsiam-state";
    static final int VERSION = 1;

    /** One named tensor. */
    public record Tensor(Kind kind, long[] shape, float[] data) {}

    /** Optimizer progress: the number of steps taken and the settings it ran with. */
    public record Optimizer(long step, OptimSpec spec, Map<String, float[]> momentum) {}

    private final SimSiamSpec spec;
    private final Map<String, Tensor> tensors;
    private final Optimizer optimizer;

    public ModelState(SimSiamSpec spec, Map<String, Tensor> tensors, Optimizer optimizer) {
        this.spec = spec;
        this.tensors = tensors;
        this.optimizer = optimizer;
    }

    public SimSiamSpec spec() {
        return spec;
    }

    /** Tensors in state_dict order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The optimizer section, or null for parameters only. */
    public Optimizer optimizer() {
        return optimizer;
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(spec.backbone());
        out.writeInt(spec.inChannels());
        out.writeInt(spec.insize());
        out.writeBoolean(spec.cifarStem());
        out.writeBoolean(optimizer != null);
        if (optimizer != null) {
            OptimSpec o = optimizer.spec();
            out.writeLong(optimizer.step());
            out.writeDouble(o.lr());
            out.writeDouble(o.momentum());
            out.writeDouble(o.weightDecay());
            out.writeUTF(o.schedule().key());
            out.writeLong(o.totalSteps());
            out.writeBoolean(o.fixPredLr());
        }
        out.writeInt(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            out.writeUTF(e.getKey());
            out.writeByte(t.kind().ordinal());
            out.writeInt(t.shape().length);
            for (long d : t.shape()) {
                out.writeLong(d);
            }
            writeFloats(out, t.data());
        }
        Map<String, float[]> momentum = optimizer == null ? Map.of() : optimizer.momentum();
        out.writeInt(momentum.size());
        for (Map.Entry<String, float[]> e : momentum.entrySet()) {
            out.writeUTF(e.getKey());
            writeFloats(out, e.getValue());
        }
        out.flush();
    }

    /**
     * Reads a state written by {@link #write}.
     *
     * @param source names the file in error messages
     */
    public static ModelState read(InputStream is, String source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16));
        try {
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new IOException(source + " is not a contssl SimSiam state (bad magic): pass a file written by "
                        + "SimSiamTrainer.saveState");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(source + " has state format version " + version + ", this build reads "
                        + VERSION + ": re-create it with this version");
            }
            SimSiamSpec spec = new SimSiamSpec(in.readUTF(), in.readInt(), in.readInt(), in.readBoolean());
            boolean hasOpt = in.readBoolean();
            long step = 0;
            OptimSpec ospec = null;
            if (hasOpt) {
                step = in.readLong();
                ospec = new OptimSpec(in.readDouble(), in.readDouble(), in.readDouble(),
                        LrSchedule.parse(in.readUTF()), in.readLong(), in.readBoolean());
            }
            int n = in.readInt();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Kind[] kinds = Kind.values();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int k = in.readByte();
                if (k < 0 || k >= kinds.length) {
                    throw new IOException(source + ": tensor " + name + " has unknown kind " + k
                            + ": the file is damaged, use another checkpoint");
                }
                int nd = in.readInt();
                long[] shape = new long[nd];
                long size = 1;
                for (int d = 0; d < nd; d++) {
                    shape[d] = in.readLong();
                    size *= shape[d];
                }
                float[] data = readFloats(in, source, name);
                if (data.length != size) {
                    throw new IOException(source + ": tensor " + name + " has " + data.length + " values for shape "
                            + Arrays.toString(shape) + ": the file is damaged, use another checkpoint");
                }
                tensors.put(name, new Tensor(kinds[k], shape, data));
            }
            int m = in.readInt();
            Map<String, float[]> momentum = new LinkedHashMap<>();
            for (int i = 0; i < m; i++) {
                String name = in.readUTF();
                momentum.put(name, readFloats(in, source, name));
            }
            Optimizer opt = hasOpt ? new Optimizer(step, ospec, momentum) : null;
            return new ModelState(spec, tensors, opt);
        } catch (EOFException e) {
            throw new IOException(source + " ends early (truncated state file): use another checkpoint", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] data) throws IOException {
        out.writeInt(data.length);
        ByteBuffer buf = ByteBuffer.allocate(Math.min(data.length, 1 << 14) * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
        int i = 0;
        while (i < data.length) {
            buf.clear();
            int n = Math.min(data.length - i, buf.capacity() / Float.BYTES);
            buf.asFloatBuffer().put(data, i, n);
            out.write(buf.array(), 0, n * Float.BYTES);
            i += n;
        }
    }

    private static float[] readFloats(DataInputStream in, String source, String name) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 28)) {
            throw new IOException(source + ": tensor " + name + " claims " + n
                    + " values: the file is damaged, use another checkpoint");
        }
        float[] data = new float[n];
        byte[] bytes = new byte[Math.min(n, 1 << 14) * Float.BYTES];
        int i = 0;
        while (i < n) {
            int k = Math.min(n - i, bytes.length / Float.BYTES);
            in.readFully(bytes, 0, k * Float.BYTES);
            ByteBuffer.wrap(bytes, 0, k * Float.BYTES).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(data, i, k);
            i += k;
        }
        return data;
    }
}
