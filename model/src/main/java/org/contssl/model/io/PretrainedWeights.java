package org.contssl.model.io;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.model.Engines;
import org.contssl.model.ModelState;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.nn.Kind;
import org.contssl.model.nn.Param;
import org.contssl.model.nn.SimSiamNet;

/**
 * {@code model.pretrained} from a file: a contssl {@code model.state}, the reference's {@code torch.save} checkpoint
 * (a dict whose {@code state_dict} has {@code module.encoder.*} / {@code module.predictor.*} keys), a plain SimSiam
 * state_dict saved by {@code torch.save} (keys with or without {@code module.}, in reference or contssl layout), or a
 * safetensors file such as {@code contssl export} writes. The tensors are renamed to contssl's names
 * ({@link ReferenceNames}) and checked against the configured model: every tensor present, none extra, every shape
 * equal. The result is a parameters-only {@link ModelState}; any problem is a one-line
 * {@link CheckpointFormatException}.
 */
public final class PretrainedWeights {

    /** One tensor the configured model expects. */
    public record Expected(String name, long[] shape, Kind kind) {}

    private PretrainedWeights() {
    }

    /** Reads {@code file} as weights for a model of {@code spec}. */
    public static ModelState read(Path file, SimSiamSpec spec) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointFormatException(file + " does not exist or is not a file");
        }
        byte[] head = TorchCheckpointReader.head(file, 32);
        if (isContsslState(head)) {
            try (InputStream in = Files.newInputStream(file)) {
                return requireSpec(ModelState.read(in, file.toString()), spec, file.toString());
            } catch (CheckpointFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new CheckpointFormatException(e.getMessage(), e);
            }
        }
        if (!TorchCheckpointReader.recognises(head)) {
            throw new CheckpointFormatException(file + " is not a PyTorch checkpoint, a safetensors file or a contssl "
                    + "checkpoint: pass a torch.save file, a .safetensors file or a checkpoints/checkpoint_* directory");
        }
        try (TorchCheckpointReader r = TorchCheckpointReader.open(file)) {
            return fromStateDict(r, stateDict(r), spec);
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointFormatException(file + " cannot be read as a checkpoint (" + e.getMessage()
                    + "): the file is damaged or not a torch.save file", e);
        }
    }

    /**
     * A contssl state's parameters if its architecture is {@code spec}'s (backbone, input channels, stem), else a
     * one-line error naming both.
     */
    public static ModelState requireSpec(ModelState state, SimSiamSpec spec, String source)
            throws CheckpointFormatException {
        SimSiamSpec s = state.spec();
        if (!s.backbone().equals(spec.backbone()) || s.inChannels() != spec.inChannels()
                || s.cifarStem() != spec.cifarStem()) {
            throw new CheckpointFormatException(source + " holds a " + describe(s) + " model but the run is "
                    + "configured for " + describe(spec) + ": set model.backbone, data.channels and model.cifar_stem "
                    + "to match or use another checkpoint");
        }
        return new ModelState(s, state.tensors(), null);
    }

    /** The tensors of a {@code spec} SimSiam with projector and predictor, in state_dict order. */
    public static List<Expected> layout(SimSiamSpec spec) {
        return Engines.call(() -> {
            try (NDManager m = Engines.newManager();
                 SimSiamNet net = SimSiamNet.create(m, spec.backbone(), spec.inChannels(), spec.cifarStem(),
                         spec.dim(), spec.predDim(), 0L, true)) {
                List<Expected> out = new ArrayList<>();
                for (Param p : net.params().all()) {
                    out.add(new Expected(p.name(), p.shape(), p.kind()));
                }
                return out;
            }
        });
    }

    /** The state_dict inside the saved object: its {@code state_dict} entry, or the object itself. */
    private static Map<String, TensorRef> stateDict(TorchCheckpointReader r) throws IOException {
        Object root = r.root();
        if (root instanceof Map<?, ?> m && m.get("state_dict") instanceof Map<?, ?> inner) {
            root = inner;
        }
        if (!(root instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new CheckpointFormatException(r.source() + " holds no state_dict (neither a dict of tensors nor a "
                    + "dict with a 'state_dict' entry)");
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TensorRef t)) {
                throw new CheckpointFormatException(r.source() + " holds no state_dict: its entry " + e.getKey()
                        + " is not a named tensor (top-level keys: " + keys(m) + ")");
            }
            out.put(k, t);
        }
        return out;
    }

    private static ModelState fromStateDict(TorchCheckpointReader r, Map<String, TensorRef> raw, SimSiamSpec spec)
            throws IOException {
        String src = r.source();
        boolean ddp = raw.keySet().stream().allMatch(k -> k.startsWith(ReferenceNames.DDP_PREFIX));
        boolean contsslLayout = raw.keySet().stream()
                .map(k -> ddp ? k.substring(ReferenceNames.DDP_PREFIX.length()) : k)
                .anyMatch(ReferenceNames::isContsslLayout);
        Map<String, Expected> expected = new LinkedHashMap<>();
        for (Expected e : layout(spec)) {
            expected.put(e.name(), e);
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : raw.entrySet()) {
            String key = e.getKey();
            String bare = ddp ? key.substring(ReferenceNames.DDP_PREFIX.length()) : key;
            TensorRef t = e.getValue();
            if (ReferenceNames.isBatchCounter(bare)) {
                String mean = ReferenceNames.runningMeanOf(bare);
                String owner = contsslLayout ? mean : ReferenceNames.fromReference(mean, spec.backbone());
                if (owner == null || !expected.containsKey(owner)) {
                    throw extra(src, key, spec);
                }
                r.readLongScalar(t, key); // only validated: momentum-0.1 batch norm never reads it
                continue;
            }
            String name = contsslLayout ? bare : ReferenceNames.fromReference(bare, spec.backbone());
            Expected x = name == null ? null : expected.get(name);
            if (x == null) {
                throw extra(src, key, spec);
            }
            if (!Arrays.equals(t.shape(), x.shape())) {
                throw new CheckpointFormatException(src + ": tensor " + key + " has shape " + Arrays.toString(t.shape())
                        + ", a " + describe(spec) + " needs " + Arrays.toString(x.shape())
                        + ": set model.backbone, data.channels and model.cifar_stem to match the file");
            }
            values.put(name, r.readFloats(t, key));
        }
        Map<String, ModelState.Tensor> tensors = new LinkedHashMap<>();
        for (Expected x : expected.values()) {
            float[] v = values.get(x.name());
            if (v == null) {
                String shown = contsslLayout ? x.name() : ReferenceNames.toReference(x.name(), spec.backbone());
                throw new CheckpointFormatException(src + " lacks tensor " + (ddp ? ReferenceNames.DDP_PREFIX : "")
                        + shown + " of a " + describe(spec) + ": the file belongs to another model");
            }
            tensors.put(x.name(), new ModelState.Tensor(x.kind(), x.shape(), v));
        }
        return new ModelState(spec, tensors, null);
    }

    private static CheckpointFormatException extra(String src, String key, SimSiamSpec spec) {
        return new CheckpointFormatException(src + " has tensor " + key + ", which a " + describe(spec)
                + " SimSiam does not have: the file belongs to another model");
    }

    static String describe(SimSiamSpec s) {
        return s.backbone() + " (" + s.inChannels() + " channels" + (s.cifarStem() ? ", CIFAR stem" : "") + ")";
    }

    private static String keys(Map<?, ?> m) {
        List<String> k = new ArrayList<>();
        for (Object o : m.keySet()) {
            if (k.size() == 6) {
                k.add("...");
                break;
            }
            k.add(String.valueOf(o));
        }
        return String.join(", ", k);
    }

    /** ModelState starts with Java's writeUTF of its magic: a 2-byte length, then the text. */
    private static boolean isContsslState(byte[] head) {
        byte[] magic = "contssl-simsiam-state".getBytes(StandardCharsets.US_ASCII);
        if (head.length < 2 + magic.length || head[0] != 0 || head[1] != magic.length) {
            return false;
        }
        return Arrays.equals(Arrays.copyOfRange(head, 2, 2 + magic.length), magic);
    }
}
