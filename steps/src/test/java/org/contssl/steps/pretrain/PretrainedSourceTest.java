package org.contssl.steps.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.contssl.model.Engines;
import org.contssl.model.ModelState;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.io.CheckpointFormatException;
import org.contssl.model.io.ReferenceExport;
import org.contssl.model.io.SafetensorsWriter;
import org.contssl.model.optim.LrSchedule;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.RunConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model.pretrained} as a new run sees it: checked completely when the configuration is loaded. */
class PretrainedSourceTest {
    /** The demo preset's model: conv4, 1 channel, 28 px, CIFAR stem. */
    static final SimSiamSpec DEMO = SimSiamSpec.of("conv4", 1, 28, true);

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Engines.configure(1, 1);
    }

    private static ModelState trained(SimSiamSpec spec) throws Exception {
        try (SimSiamTrainer t = SimSiamTrainer.create(spec, OptimSpec.reference(0.05, LrSchedule.COS, 10), 3)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.writeParameters(out);
            return ModelState.read(new ByteArrayInputStream(out.toByteArray()), "trainer");
        }
    }

    @Test
    void aPyTorchExportIsAcceptedAndBadFilesFailWhenTheConfigLoads() throws Exception {
        ModelState state = trained(DEMO);
        Path st = dir.resolve("w.safetensors");
        try (OutputStream out = Files.newOutputStream(st)) {
            SafetensorsWriter.write(out, ReferenceExport.tensors(state, ""), Map.of());
        }
        ModelState back = PretrainedSource.read(st, DEMO);
        assertThat(back.tensors().get("encoder.1.6.bias").data())
                .isEqualTo(state.tensors().get("encoder.1.6.bias").data());
        RunConfig accepted = ConfigLoader.load(null, List.of("model.pretrained=" + st)).config();
        ConfigLoader.checkPretrained(accepted);
        assertThat(accepted.model().pretrained()).isEqualTo(st.toString());

        Path text = Files.writeString(dir.resolve("x.pth"), "not a checkpoint");
        assertThatThrownBy(() -> ConfigLoader.checkPretrained(
                ConfigLoader.load(null, List.of("model.pretrained=" + text)).config()))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("is not a PyTorch checkpoint");
        assertThatThrownBy(() -> ConfigLoader.checkPretrained(
                ConfigLoader.load(null, List.of("model.pretrained=" + st, "model.backbone=resnet18")).config()))
                .hasCauseInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("which a resnet18 (1 channels, CIFAR stem) SimSiam does not have");
        assertThatThrownBy(() -> PretrainedSource.read(dir.resolve("missing.pth"), DEMO))
                .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("does not exist");
        // a contssl model.state of another architecture
        Path own = dir.resolve("model.state");
        try (OutputStream out = Files.newOutputStream(own)) {
            trained(SimSiamSpec.of("conv4", 3, 28, true)).write(out);
        }
        assertThatThrownBy(() -> PretrainedSource.read(own, DEMO))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("holds a conv4 (3 channels, CIFAR stem) model but the run is configured for "
                        + "conv4 (1 channels, CIFAR stem)");
    }
}
