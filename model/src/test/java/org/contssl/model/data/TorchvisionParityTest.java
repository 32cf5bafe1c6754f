package org.contssl.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares each operation with torchvision 0.14 / PIL (Debian's python3-torchvision at /usr/bin/python3), the
 * reference's own libraries. Skipped where that Python is absent. Tolerances are in grey levels (0..255) and are
 * the documented deviations: PIL rounds to uint8 between the two resampling passes, after each op and after each
 * of the blur's six box passes.
 */
class TorchvisionParityTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    static Path dir;

    private static boolean available;

    @BeforeAll
    static void checkPython() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            return;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torchvision, PIL").redirectErrorStream(true)
                .start();
        available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private record Case(String name, Map<String, Object> spec, float[] ours) {
    }

    private static final String SCRIPT = """
            import json, sys
            import numpy as np
            from PIL import Image, ImageFilter
            import torchvision.transforms.functional as F
            from torchvision.transforms import InterpolationMode
            cases = json.load(open(sys.argv[1]))
            for c in cases:
                img = Image.open(c['image'])
                img = img.convert('RGB' if c['channels'] == 3 else 'L')
                if 'eval' in c:
                    size, frac = c['eval']
                    img = F.center_crop(F.resize(img, int(round(size / frac))), size)
                else:
                    t, l, h, w = c['crop']
                    img = F.resized_crop(img, t, l, h, w, [c['size'], c['size']], InterpolationMode.BILINEAR)
                if 'pil_blur' in c:
                    img = img.filter(ImageFilter.GaussianBlur(radius=c['pil_blur']))
                x = F.to_tensor(img)
                for op, f in c.get('ops', []):
                    x = getattr(F, 'adjust_' + op)(x, f)
                if c.get('gray'):
                    x = F.rgb_to_grayscale(x, num_output_channels=x.shape[0])
                if c.get('flip'):
                    x = F.hflip(x)
                x.numpy().astype('<f4').tofile(c['out'])
            """;

    private static final String[] OPS = {"brightness", "contrast", "saturation", "hue"};

    @Test
    void everyOperationMatchesTorchvision() throws Exception {
        assumeTrue(available, "no /usr/bin/python3 with torchvision: parity not checked");
        DecodedImage rgb = TestImages.pattern(48, 40, 3, 5);
        DecodedImage grey = TestImages.pattern(28, 28, 1, 6);
        Path rgbFile = TestImages.write(rgb, "png", dir.resolve("rgb.png"));
        Path greyFile = TestImages.write(grey, "png", dir.resolve("grey.png"));
        List<Case> cases = new ArrayList<>();
        List<Double> tolerances = new ArrayList<>();

        // Crops: downscaling (antialiased), upscaling, non-square, and RGB -> grey output.
        int[][] crops = {{0, 0, 40, 48}, {5, 7, 30, 22}, {10, 12, 9, 11}, {0, 30, 40, 18}};
        for (int[] cr : crops) {
            for (int size : new int[]{24, 36}) {
                ViewParams p = ViewParams.cropOnly(cr[0], cr[1], cr[2], cr[3]);
                cases.add(view("crop" + cr[1] + "_" + size, rgbFile, rgb, 3, size, p, List.of()));
                tolerances.add(1.01);
                cases.add(view("cropgrey" + cr[1] + "_" + size, rgbFile, rgb, 1, size, p, List.of()));
                tolerances.add(1.51); // PIL's convert("L") rounds once more
            }
        }
        // Each jitter op alone and all four in several orders, on an identity crop (so only the op differs).
        ViewParams id = ViewParams.cropOnly(0, 0, 40, 40); // square and full size: the resampling is exact
        float[] factors = {0.6f, 1.37f, 0.83f, 0.07f};
        for (int op = 0; op < 4; op++) {
            int[] order = {op, op, op, op};
            float[] f = {1f, 1f, 1f, 0f};
            f[op] = factors[op];
            ViewParams p = id.withJitter(order, f[0], f[1], f[2], f[3]);
            List<Object[]> ops = List.of(new Object[]{OPS[op], f[op]}, new Object[]{OPS[op], f[op]},
                    new Object[]{OPS[op], f[op]}, new Object[]{OPS[op], f[op]});
            cases.add(view("op" + OPS[op], rgbFile, rgb, 3, 40, p, ops));
            tolerances.add(0.1);
        }
        int[][] orders = {{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}};
        for (int[] order : orders) {
            float[] f = {1.3f, 0.7f, 1.2f, -0.09f};
            List<Object[]> ops = new ArrayList<>();
            for (int op : order) {
                ops.add(new Object[]{OPS[op], f[op]});
            }
            ViewParams p = id.withJitter(order, f[0], f[1], f[2], f[3]).withGray(order[0] == 2).withFlip(true);
            Case c = view("jitter" + order[0], rgbFile, rgb, 3, 40, p, ops);
            c.spec().put("gray", p.gray());
            c.spec().put("flip", true);
            cases.add(c);
            tolerances.add(0.15);
            // Grey image: saturation and hue are identities in torchvision too.
            ViewParams g = ViewParams.cropOnly(0, 0, 28, 28).withJitter(order, f[0], f[1], f[2], f[3]);
            cases.add(view("greyjitter" + order[0], greyFile, grey, 1, 28, g, ops));
            tolerances.add(0.1);
        }
        // Blur: PIL's three-pass box algorithm; PIL rounds to uint8 after each of its six passes.
        for (double sigma : new double[]{0.1, 0.7, 2.0}) {
            ViewParams p = id.withBlur(sigma);
            Case c = view("blur" + sigma, rgbFile, rgb, 3, 40, p, List.of());
            c.spec().put("pil_blur", sigma);
            cases.add(c);
            tolerances.add(-1.0); // checked on the mean below
        }
        // Eval transform: Resize(int) + CenterCrop.
        for (double frac : new double[]{1.0, 0.875}) {
            for (int ch : new int[]{1, 3}) {
                AugmentConfig cfg = unnormalised(24, ch).toBuilder().evalCropFraction(frac).build();
                float[] out = new float[cfg.sampleLength()];
                new EvalTransform(cfg).apply(rgb, out, 0);
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("image", rgbFile.toString());
                spec.put("channels", ch);
                spec.put("eval", List.of(24, frac));
                cases.add(new Case("eval" + frac + "_" + ch, spec, out));
                tolerances.add(ch == 1 ? 1.51 : 1.01);
            }
        }

        List<Map<String, Object>> specs = new ArrayList<>();
        for (Case c : cases) {
            c.spec().put("out", dir.resolve(c.name() + ".f32").toString());
            specs.add(c.spec());
        }
        Path json = dir.resolve("cases.json");
        new ObjectMapper().writeValue(json.toFile(), specs);
        Path script = Files.writeString(dir.resolve("parity.py"), SCRIPT);
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), json.toString()).redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();

        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            float[] theirs = readF32(Path.of((String) c.spec().get("out")));
            assertThat(theirs.length).as(c.name()).isEqualTo(c.ours().length);
            double max = 0;
            double sum = 0;
            for (int k = 0; k < theirs.length; k++) {
                double d = Math.abs(theirs[k] - c.ours()[k]) * 255;
                max = Math.max(max, d);
                sum += d;
            }
            double mean = sum / theirs.length;
            System.out.printf("parity %-16s max %.3f mean %.4f grey levels%n", c.name(), max, mean);
            if (tolerances.get(i) < 0) {
                assertThat(mean).as(c.name() + " mean abs diff in grey levels").isLessThan(0.6);
                assertThat(max).as(c.name() + " max abs diff in grey levels").isLessThan(3.01);
            } else {
                assertThat(max).as(c.name() + " max abs diff in grey levels").isLessThanOrEqualTo(tolerances.get(i));
            }
        }
    }

    private static AugmentConfig unnormalised(int size, int channels) {
        float[] zero = new float[channels];
        float[] one = new float[channels];
        java.util.Arrays.fill(one, 1f);
        return AugmentConfig.simsiam(size, channels).toBuilder().normalize(zero, one).build();
    }

    private static Case view(String name, Path file, DecodedImage img, int channels, int size, ViewParams p,
                             List<Object[]> ops) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("image", file.toString());
        spec.put("channels", channels);
        spec.put("crop", List.of(p.top(), p.left(), p.height(), p.width()));
        spec.put("size", size);
        List<List<Object>> o = new ArrayList<>();
        for (Object[] op : ops) {
            o.add(List.of(op));
        }
        spec.put("ops", o);
        AugmentConfig cfg = unnormalised(size, channels);
        float[] out = new float[cfg.sampleLength()];
        new SimSiamAugment(cfg).apply(img, p, out, 0);
        return new Case(name, spec, out);
    }

    private static float[] readF32(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}
