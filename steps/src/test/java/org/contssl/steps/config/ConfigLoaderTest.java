package org.contssl.steps.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void demoPresetBindsWithTheReferenceKeyNames() {
        RunConfig c = ConfigLoader.load(null, List.of()).config();
        assertThat(c.model().bufferType()).isEqualTo("fifo");
        assertThat(c.model().buffSiz()).isEqualTo(2048);
        assertThat(c.model().numUpdates()).isEqualTo(4);
        assertThat(c.optim().batchSize()).isEqualTo(256);
        assertThat(c.optim().lr()).isEqualTo(0.05);
        assertThat(c.data().numFiles()).isEqualTo(20_000);
        assertThat(c.eval().progress()).containsExactly(0.25, 0.5, 0.75, 1.0);
    }

    @Test
    void hydraStyleOverridesChangeTypedValuesAndTheHash() {
        ResolvedConfig base = ConfigLoader.load(null, List.of());
        ResolvedConfig changed = ConfigLoader.load(null, List.of("model.buffer_type=minred", "model.buff_siz=4096",
                "optim.lr=0.01", "optim.lr_schedule=constant", "eval.progress=0.5,1.0", "data.rewrite_256p=true"));
        RunConfig c = changed.config();
        assertThat(c.model().policy()).isEqualTo("minred");
        assertThat(c.model().buffSiz()).isEqualTo(4096);
        assertThat(c.optim().lr()).isEqualTo(0.01);
        assertThat(c.eval().progress()).containsExactly(0.5, 1.0);
        assertThat(c.data().rewrite256p()).isTrue();
        assertThat(changed.hash()).isNotEqualTo(base.hash());
        assertThat(ConfigLoader.load(null, List.of()).hash()).isEqualTo(base.hash());
    }

    @Test
    void referenceNameSimpleMeansFifo() {
        assertThat(ConfigLoader.load(null, List.of("model.buffer_type=simple")).config().model().policy())
                .isEqualTo("fifo");
    }

    @Test
    void unknownKeysAreErrorsNamingTheKeyAndTheKnownOnes() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.buffer_size=4096")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown config key 'model.buffer_size'")
                .hasMessageContaining("model.buff_siz");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("nope.x=1")))
                .hasMessageContaining("unknown config key 'nope.x'");
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.buff_siz=lots")))
                .hasMessage("invalid model.buff_siz=lots: expected an integer");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.buffer_type=lifo")))
                .hasMessageContaining("invalid model.buffer_type=lifo");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("logging.save_freq=0")))
                .hasMessageContaining("logging.save_freq");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.buff_siz=100")))
                .hasMessageContaining("model.buff_siz");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model")))
                .hasMessageContaining("not key=value");
        assertThatThrownBy(() -> ConfigLoader.load("nosuch", List.of()))
                .hasMessageContaining("unknown preset 'nosuch'");
    }

    @Test
    void resolvedConfigRoundTripsThroughTheWorkdirFile(@TempDir Path dir) {
        ResolvedConfig config = ConfigLoader.load(null, List.of("model.num_updates=2", "data.order=3120"));
        Path file = dir.resolve("config.resolved.yaml");
        ConfigLoader.write(config, file);
        ResolvedConfig back = ConfigLoader.read(file);
        assertThat(back.hash()).isEqualTo(config.hash());
        assertThat(back.config()).isEqualTo(config.config());
    }
}
