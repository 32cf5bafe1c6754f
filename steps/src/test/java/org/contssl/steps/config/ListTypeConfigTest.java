package org.contssl.steps.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.contssl.lists.stream.FrameSampling;
import org.contssl.lists.stream.ListType;
import org.contssl.lists.stream.StreamRequest;
import org.contssl.steps.lists.StreamRequests;
import org.contssl.steps.workdir.Workdir;
import org.junit.jupiter.api.Test;

/** The reference's stream keys ({@code data.type} & co, {@code none_noseq}) and how they reach the planner. */
class ListTypeConfigTest {

    @Test
    void theDemoIsStillABuiltInSourceAndTheKeysReachTheRequest() {
        RunConfig demo = ConfigLoader.load(null, List.of()).config();
        StreamRequest plain = StreamRequests.of(demo, new Workdir(Path.of("/tmp/w")));
        assertThat(plain.listType()).isEqualTo(ListType.MEMMAP);
        assertThat(plain.isOwnList()).isFalse();

        RunConfig kinetics = ConfigLoader.load(null, List.of("data.type=sequential", "data.train_filelist=/d/k.txt",
                "data.base_dir=/d", "data.n_seq_samples=16", "data.seq_sampling=random", "data.fname_fmt={:05d}.jpg",
                "model.buffer_type=none_noseq")).config();
        assertThat(kinetics.model().buffered()).isFalse();
        StreamRequest r = StreamRequests.of(kinetics, new Workdir(Path.of("/tmp/w")));
        assertThat(r.listType()).isEqualTo(ListType.SEQUENTIAL);
        assertThat(r.seqSamples()).isEqualTo(16);
        assertThat(r.seqSampling()).isEqualTo(FrameSampling.RANDOM);
        assertThat(r.fnameFmt()).isEqualTo("{:05d}.jpg");
        assertThat(r.decorrelate()).isTrue();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("data.type=standard")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("data.train_filelist");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("data.type=kinetics")))
                .hasMessageContaining("data.type");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("data.seq_sampling=uniform")))
                .hasMessageContaining("data.seq_sampling");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("data.type=sequential",
                "data.train_filelist=/k.txt", "data.fname_fmt=frame.jpg"))).hasMessageContaining("data.fname_fmt");
    }
}
