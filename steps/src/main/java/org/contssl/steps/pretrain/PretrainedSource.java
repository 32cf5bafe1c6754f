package org.contssl.steps.pretrain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.contssl.model.ModelState;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.io.CheckpointFormatException;
import org.contssl.model.io.PretrainedWeights;

/**
 * What {@code model.pretrained} may name: a contssl {@code checkpoints/checkpoint_*} directory, or a file —
 * the reference's {@code torch.save} checkpoint, a plain SimSiam state_dict, a safetensors export or a contssl
 * {@code model.state} (docs/pytorch-interop.md). Either way the result is the encoder + predictor weights checked
 * against the configured model; a missing or unusable source is a one-line {@link CheckpointFormatException},
 * which the CLI reports as a bad input file.
 */
public final class PretrainedSource {

    private PretrainedSource() {
    }

    public static ModelState read(Path path, SimSiamSpec spec) throws IOException {
        if (!Files.exists(path)) {
            throw new CheckpointFormatException("model.pretrained=" + path + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            return PretrainedWeights.read(path, spec);
        }
        Path modelFile;
        try {
            modelFile = TrainingCheckpoints.modelFileOf(path);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("model.pretrained=" + path + ": " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(modelFile)) {
            throw new CheckpointFormatException("model.pretrained=" + path + " is not a contssl checkpoint (no "
                    + modelFile.getFileName() + " in it): point it at a checkpoints/checkpoint_* directory");
        }
        ModelState state;
        try (InputStream in = Files.newInputStream(modelFile)) {
            state = ModelState.read(in, modelFile.toString());
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointFormatException(e.getMessage(), e);
        }
        return PretrainedWeights.requireSpec(state, spec, "model.pretrained=" + path);
    }
}
