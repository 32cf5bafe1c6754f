package org.contssl.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.contssl.model.EngineManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Parameter counts are torchvision's / the PyTorch benchmark script's, read from torch 1.13 (not from this code). */
class BackbonesTest {
    @RegisterExtension
    static final EngineManager engine = new EngineManager();

    private static SimSiamNet backbone(String arch, int channels, boolean cifar) {
        return SimSiamNet.create(engine.manager(), arch, channels, cifar, 512, 128, 1L, false);
    }

    @Test
    void resnet18WithCifarStemHas11_17MParameters() {
        try (SimSiamNet net = backbone("resnet18", 3, true)) {
            assertThat(net.params().parameterCount()).isEqualTo(11_168_832L);
            assertThat(net.featureDim()).isEqualTo(512);
        }
    }

    @Test
    void resnet18WithImagenetStemMatchesTorchvisionWithoutFc() {
        try (SimSiamNet net = backbone("resnet18", 3, false)) {
            assertThat(net.params().parameterCount()).isEqualTo(11_689_512L - 513_000L);
        }
    }


    @Test
    void conv4AndFullSimSiamMatchTheBenchmarkScript() {
        try (SimSiamNet net = backbone("conv4", 1, true)) {
            assertThat(net.params().parameterCount()).isEqualTo(388_320L);
        }
        try (SimSiamNet net = SimSiamNet.create(engine.manager(), "conv4", 1, true, 512, 128, 1L, true)) {
            assertThat(net.params().parameterCount()).isEqualTo(783_840L);
            assertThat(net.params().trainableCount()).isEqualTo(783_328L);
        }
        try (SimSiamNet net = SimSiamNet.create(engine.manager(), "resnet18", 3, true, 512, 128, 1L, true)) {
            assertThat(net.params().parameterCount()).isEqualTo(12_089_664L);
            assertThat(net.params().trainableCount()).isEqualTo(12_089_152L);
            // torch state_dict has 145 entries = our tensors + one num_batches_tracked per BN (26 BNs)
            long bns = net.params().all().stream().filter(p -> p.name().endsWith("running_mean")).count();
            assertThat(net.params().all().size() + bns).isEqualTo(145);
        }
    }

    @Test
    void anyInputChannelCountChangesOnlyTheStem() {
        try (SimSiamNet one = backbone("resnet18", 1, true); SimSiamNet five = backbone("resnet18", 5, true)) {
            assertThat(five.params().parameterCount() - one.params().parameterCount()).isEqualTo(4L * 64 * 9);
        }
    }

    @Test
    void resnet50CountAndZeroGammaOfEveryResidualBlock() {
        try (SimSiamNet net = backbone("resnet18", 3, true)) {
            int zeroed = 0;
            for (Param p : net.params().all()) {
                if (p.name().endsWith(".weight") && p.name().contains(".bn")) {
                    float[] g = p.value().toFloatArray();
                    float expected = p.name().endsWith("bn2.weight") ? 0f : 1f;
                    for (float v : g) {
                        assertThat(v).as(p.name()).isEqualTo(expected);
                    }
                    if (expected == 0f) {
                        zeroed++;
                    }
                }
            }
            assertThat(zeroed).isEqualTo(8);
        }
        try (SimSiamNet net = SimSiamNet.create(engine.manager(), "resnet50", 3, false, 2048, 512, 1L, false)) {
            // torchvision ResNet-50 without its fc layer
            assertThat(net.params().parameterCount()).isEqualTo(25_557_032L - 2_049_000L);
            assertThat(net.featureDim()).isEqualTo(2048);
            long zeroBn3 = net.params().all().stream()
                    .filter(p -> p.name().endsWith("bn3.weight"))
                    .filter(p -> allEqual(p.value().toFloatArray(), 0f))
                    .count();
            assertThat(zeroBn3).isEqualTo(16);
            assertThat(allEqual(net.params().get("encoder.0.layer1.0.bn2.weight").value().toFloatArray(), 1f))
                    .isTrue();
        }
    }

    @Test
    void resnetConvsAreKaimingNormalFanOut() {
        try (SimSiamNet net = backbone("resnet18", 3, true)) {
            float[] w = net.params().get("encoder.0.layer4.1.conv2.weight").value().toFloatArray();
            double std = std(w);
            assertThat(std).isCloseTo(Math.sqrt(2.0 / (512 * 9)), within(0.01 * Math.sqrt(2.0 / (512 * 9))));
            float[] down = net.params().get("encoder.0.layer2.0.downsample.0.weight").value().toFloatArray();
            assertThat(std(down)).isCloseTo(Math.sqrt(2.0 / 128), within(0.05 * Math.sqrt(2.0 / 128)));
        }
    }

    @Test
    void initialisationDependsOnlyOnSeedAndName() {
        try (SimSiamNet a = backbone("conv4", 1, true);
                SimSiamNet b = backbone("conv4", 1, true);
                SimSiamNet c = SimSiamNet.create(engine.manager(), "conv4", 1, true, 512, 128, 2L, false)) {
            List<Param> pa = a.params().all();
            for (Param p : pa) {
                assertThat(b.params().get(p.name()).value().toFloatArray()).containsExactly(p.value().toFloatArray());
            }
            assertThat(c.params().get("encoder.0.0.weight").value().toFloatArray())
                    .isNotEqualTo(a.params().get("encoder.0.0.weight").value().toFloatArray());
        }
    }

    private static boolean allEqual(float[] a, float v) {
        for (float x : a) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }

    private static double std(float[] w) {
        double s = 0;
        double s2 = 0;
        for (float v : w) {
            s += v;
            s2 += (double) v * v;
        }
        double m = s / w.length;
        return Math.sqrt(s2 / w.length - m * m);
    }
}
