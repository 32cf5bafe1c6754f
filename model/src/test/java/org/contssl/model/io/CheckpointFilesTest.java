package org.contssl.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.contssl.model.ModelState;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.TestEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing PyTorch weight files without Python: round trips, the name mapping, and every rejection. */
class CheckpointFilesTest {
    static final SimSiamSpec CONV4 = SimSiamSpec.of("conv4", 1, 16, false);
    static final SimSiamSpec R18_CIFAR = SimSiamSpec.of("resnet18", 3, 16, true);

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        TestEngine.singleThread();
    }

    @Test
    void nameMappingIsABijectionForEveryBackbone() {
        for (SimSiamSpec spec : List.of(CONV4, R18_CIFAR, SimSiamSpec.of("resnet50", 3, 32, false))) {
            Set<String> refs = new HashSet<>();
            for (PretrainedWeights.Expected e : PretrainedWeights.layout(spec)) {
                String ref = ReferenceNames.toReference(e.name(), spec.backbone());
                assertThat(refs.add(ref)).as("unique %s", ref).isTrue();
                assertThat(ReferenceNames.fromReference(ref, spec.backbone())).isEqualTo(e.name());
            }
        }
        assertThat(ReferenceNames.toReference("encoder.0.layer1.0.conv1.weight", "resnet18"))
                .isEqualTo("encoder.layer1.0.conv1.weight");
        assertThat(ReferenceNames.toReference("encoder.1.6.bias", "resnet50")).isEqualTo("encoder.fc.6.bias");
        assertThat(ReferenceNames.toReference("encoder.0.4.weight", "conv4")).isEqualTo("encoder.features.4.weight");
        assertThat(ReferenceNames.fromReference("encoder.layer1.0.conv1.weight", "conv4")).isNull();
    }

    @Test
    void torchZipAndSafetensorsRoundTripBitForBit() throws IOException {
        for (SimSiamSpec spec : List.of(CONV4, R18_CIFAR)) {
            ModelState state = InteropFixtures.randomState(spec, 11, 5);
            Path pth = dir.resolve(spec.backbone() + ".pth");
            Path st = dir.resolve(spec.backbone() + ".safetensors");
            InteropFixtures.writeTorch(pth, ReferenceExport.tensors(state, ReferenceNames.DDP_PREFIX),
                    Map.of("arch", spec.backbone(), "epoch", 1L));
            InteropFixtures.writeSafetensors(st, ReferenceExport.tensors(state, ""));
            for (Path f : List.of(pth, st)) {
                ModelState back = PretrainedWeights.read(f, spec);
                assertThat(back.tensors().keySet()).containsExactlyElementsOf(state.tensors().keySet());
                state.tensors().forEach((k, t) -> assertThat(back.tensors().get(k).data()).as(k).isEqualTo(t.data()));
            }
        }
    }

    @Test
    void exportCarriesTwoBatchesPerStepInEveryBatchNorm() throws IOException {
        ModelState state = InteropFixtures.randomState(CONV4, 1, 21);
        List<ExportTensor> t = ReferenceExport.tensors(state, "");
        List<String> counters = new ArrayList<>();
        for (ExportTensor e : t) {
            if (e.name().endsWith("num_batches_tracked")) {
                counters.add(e.name());
                assertThat(e.dtype()).isEqualTo(TorchDtype.INT64);
                assertThat(e.shape()).isEmpty();
                assertThat(java.nio.ByteBuffer.wrap(e.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())
                        .isEqualTo(42);
            }
        }
        // 4 conv BNs, 2 projector BNs + the affine-free output BN, 1 predictor BN
        assertThat(counters).hasSize(8).contains("encoder.features.1.num_batches_tracked",
                "encoder.fc.7.num_batches_tracked", "predictor.1.num_batches_tracked");
    }

    @Test
    void contsslLayoutStateDictIsAcceptedToo() throws IOException {
        ModelState state = InteropFixtures.randomState(CONV4, 2, 0);
        List<ExportTensor> own = new ArrayList<>();
        state.tensors().forEach((k, v) -> own.add(ExportTensor.ofFloats(k, v.shape(), v.data())));
        Path f = dir.resolve("own.pth");
        InteropFixtures.writeTorch(f, own, Map.of());
        ModelState back = PretrainedWeights.read(f, CONV4);
        assertThat(back.tensors().get("encoder.0.0.weight").data())
                .isEqualTo(state.tensors().get("encoder.0.0.weight").data());
    }

    @Test
    void truncatedForeignEmptyAndMismatchedFilesAreOneLineErrors() throws IOException {
        ModelState state = InteropFixtures.randomState(R18_CIFAR, 3, 0);
        Path good = dir.resolve("good.pth");
        InteropFixtures.writeTorch(good, ReferenceExport.tensors(state, ReferenceNames.DDP_PREFIX), Map.of());
        byte[] bytes = Files.readAllBytes(good);

        Path cut = dir.resolve("cut.pth");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        expectError(cut, R18_CIFAR, "truncated");

        Path st = dir.resolve("cut.safetensors");
        InteropFixtures.writeSafetensors(st, ReferenceExport.tensors(state, ""));
        byte[] stBytes = Files.readAllBytes(st);
        Files.write(st, java.util.Arrays.copyOf(stBytes, stBytes.length - 100));
        expectError(st, R18_CIFAR, "truncated");

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, this is not a checkpoint\n");
        expectError(text, R18_CIFAR, "is not a PyTorch checkpoint");
        Path empty = dir.resolve("empty.pth");
        Files.write(empty, new byte[0]);
        expectError(empty, R18_CIFAR, "is not a PyTorch checkpoint");

        // another stem: same names, conv1 of another shape
        expectError(good, SimSiamSpec.of("resnet18", 3, 32, false), "module.encoder.conv1.weight has shape");
        // another backbone: the first resnet tensor has no place in a conv4
        expectError(good, CONV4, "has tensor module.encoder.");
        // a conv4 file where a resnet18 is configured
        Path conv4 = dir.resolve("conv4.safetensors");
        InteropFixtures.writeSafetensors(conv4, ReferenceExport.tensors(InteropFixtures.randomState(CONV4, 4, 0), ""));
        expectError(conv4, R18_CIFAR, "has tensor encoder.features.0.weight");
    }

    @Test
    void missingTensorAndBadBatchCounterAreNamed() throws IOException {
        ModelState state = InteropFixtures.randomState(CONV4, 5, 0);
        List<ExportTensor> t = new ArrayList<>(ReferenceExport.tensors(state, ReferenceNames.DDP_PREFIX));
        t.removeIf(e -> e.name().equals("module.predictor.1.running_var"));
        Path f = dir.resolve("missing.pth");
        InteropFixtures.writeTorch(f, t, Map.of());
        expectError(f, CONV4, "lacks tensor module.predictor.1.running_var");

        List<ExportTensor> bad = new ArrayList<>();
        for (ExportTensor e : ReferenceExport.tensors(state, "")) {
            bad.add(e.name().endsWith("num_batches_tracked") ? ExportTensor.ofFloats(e.name(), new long[0],
                    new float[] {1f}) : e);
        }
        Path g = dir.resolve("float_counter.safetensors");
        InteropFixtures.writeSafetensors(g, bad);
        expectError(g, CONV4, "num_batches_tracked should be one int64 value");
    }

    @Test
    void unpicklerRefusesArbitraryGlobals() throws IOException {
        // what pickle.dumps of an object whose __reduce__ returns (os.system, ("echo pwned",)) looks like
        byte[] evil = concat(new byte[] {(byte) 0x80, 2}, "cos\nsystem\nX".getBytes(StandardCharsets.US_ASCII),
                new byte[] {10, 0, 0, 0}, "echo pwned".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0x85, 'R', '.'});
        assertThatThrownBy(() -> Unpickler.load(new ByteArrayInputStream(evil), "evil.pkl", null))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("names the Python global os.system");
        // the same inside a zip container
        Path f = dir.resolve("evil.pth");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("evil/data.pkl"));
            zip.write(evil);
            zip.closeEntry();
        }
        expectError(f, CONV4, "names the Python global os.system");
    }

    @Test
    @SuppressWarnings("unchecked")
    void unpicklerDecodesTheValuesCheckpointsHold() throws IOException {
        // {'a': [1, -2, 3.5, None, True], 'b': (70000, 2**70), 'c': 'x'} with memo put/get of 'x'
        byte[] p = concat(new byte[] {(byte) 0x80, 2, '}', '(', 'X', 1, 0, 0, 0, 'a', ']', '(', 'K', 1, 'J',
                (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'G', 0x40, 0x0c, 0, 0, 0, 0, 0, 0, 'N',
                (byte) 0x88, 'e', 'X', 1, 0, 0, 0, 'b', 'J', 0x70, 0x11, 1, 0, (byte) 0x8a, 9, 0, 0, 0, 0, 0, 0, 0,
                0, 0x40, (byte) 0x86, 'X', 1, 0, 0, 0, 'c', 'X', 1, 0, 0, 0, 'x', 'q', 0, '0', 'h', 0, 'u', '.'});
        Object o = Unpickler.load(new ByteArrayInputStream(p), "values.pkl", null);
        assertThat(o).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) o;
        assertThat((List<Object>) m.get("a")).containsExactly(1L, -2L, 3.5, null, true);
        Unpickler.Tuple b = (Unpickler.Tuple) m.get("b");
        assertThat(b.get(0)).isEqualTo(70000L);
        assertThat(b.get(1)).isEqualTo(BigInteger.TWO.pow(70));
        assertThat(m.get("c")).isEqualTo("x");
        // the same bytes cut short
        assertThatThrownBy(() -> Unpickler.load(new ByteArrayInputStream(java.util.Arrays.copyOf(p, 30)), "cut.pkl",
                null)).isInstanceOf(CheckpointFormatException.class).hasMessageContaining("truncated");
    }

    @Test
    void halfPrecisionConvertsExactly() {
        assertThat(TorchCheckpointReader.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(TorchCheckpointReader.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(TorchCheckpointReader.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TorchCheckpointReader.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(TorchCheckpointReader.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    static void expectError(Path file, SimSiamSpec spec, String fragment) {
        assertThatThrownBy(() -> PretrainedWeights.read(file, spec))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
