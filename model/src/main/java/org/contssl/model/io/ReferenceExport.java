package org.contssl.model.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.contssl.model.ModelState;

/**
 * contssl weights under the reference's state_dict names (encoder with its {@code fc} projector, predictor), ready
 * for {@link SafetensorsWriter} or {@link TorchZipWriter}. Every BatchNorm gets the {@code num_batches_tracked}
 * PyTorch keeps, set to the number of training-mode forward passes the reference would have counted: two per
 * optimizer step (one per view).
 */
public final class ReferenceExport {

    private ReferenceExport() {
    }

    /**
     * The tensors of {@code state} (encoder, projector and predictor, with BN running statistics) in contssl's order.
     *
     * @param prefix put before every name: "" for a plain module, {@link ReferenceNames#DDP_PREFIX} for the
     *               reference's DistributedDataParallel checkpoints
     */
    public static List<ExportTensor> tensors(ModelState state, String prefix) {
        String backbone = state.spec().backbone();
        long steps = state.optimizer() == null ? 0 : state.optimizer().step();
        List<ExportTensor> out = new ArrayList<>();
        for (Map.Entry<String, ModelState.Tensor> e : state.tensors().entrySet()) {
            String ref = prefix + ReferenceNames.toReference(e.getKey(), backbone);
            ModelState.Tensor t = e.getValue();
            out.add(ExportTensor.ofFloats(ref, t.shape(), t.data()));
            if (ref.endsWith(".running_var")) {
                String mean = ref.substring(0, ref.length() - "running_var".length()) + "running_mean";
                out.add(ExportTensor.scalarLong(ReferenceNames.batchCounterOf(mean), 2 * steps));
            }
        }
        return out;
    }
}
