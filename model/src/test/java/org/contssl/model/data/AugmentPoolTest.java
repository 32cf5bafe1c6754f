package org.contssl.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.contssl.model.data.ImageDecodeException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentPoolTest {

    @TempDir
    Path dir;

    private final AugmentConfig cfg = AugmentConfig.simsiam(28, 1);
    private final List<Path> files = new ArrayList<>();
    private long[] seeds;

    @BeforeEach
    void writeImages() throws Exception {
        for (int i = 0; i < 40; i++) {
            files.add(TestImages.write(TestImages.pattern(28 + i % 5, 28, 1, i), "png", dir.resolve(i + ".png")));
        }
        seeds = new long[files.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = 9000 + 7L * i;
        }
    }

    @Test
    void viewsEqualDirectDecodeAndAugmentWithTheDerivedSeeds() throws Exception {
        try (AugmentPool pool = new AugmentPool(new ImageDecoder(), cfg, 2, 2, 0)) {
            ViewBatch b = pool.submit(files, seeds).get(30, TimeUnit.SECONDS);
            assertThat(b.size()).isEqualTo(40);
            assertThat(b.failures()).isEmpty();
            SimSiamAugment aug = new SimSiamAugment(cfg);
            ImageDecoder dec = new ImageDecoder();
            int len = cfg.sampleLength();
            float[] v1 = new float[len];
            float[] v2 = new float[len];
            for (int i = 0; i < files.size(); i++) {
                DecodedImage img = dec.decode(files.get(i));
                aug.augment(img, SeedMix.viewSeed(seeds[i], 1), v1, 0);
                aug.augment(img, SeedMix.viewSeed(seeds[i], 2), v2, 0);
                assertThat(Arrays.equals(b.view1(), i * len, (i + 1) * len, v1, 0, len)).as("view1 %d", i).isTrue();
                assertThat(Arrays.equals(b.view2(), i * len, (i + 1) * len, v2, 0, len)).as("view2 %d", i).isTrue();
                assertThat(Arrays.equals(v1, v2)).isFalse();
            }
        }
    }

    @Test
    void identicalWhateverTheThreadCountAndCache() throws Exception {
        List<float[]> results = new ArrayList<>();
        for (int threads : new int[]{1, 2, 5}) {
            for (long cache : new long[]{0, 1 << 20}) {
                try (AugmentPool pool = new AugmentPool(new ImageDecoder(), cfg, threads, 3, cache)) {
                    // Three batches in flight at once, the same files twice (cache hits on the second pass).
                    List<CompletableFuture<ViewBatch>> fs = new ArrayList<>();
                    for (int rep = 0; rep < 3; rep++) {
                        fs.add(pool.submit(files, seeds));
                    }
                    float[] all = new float[0];
                    for (CompletableFuture<ViewBatch> f : fs) {
                        ViewBatch b = f.get(30, TimeUnit.SECONDS);
                        all = concat(all, concat(b.view1(), b.view2()));
                    }
                    results.add(all);
                    if (cache > 0) {
                        assertThat(pool.cache().hits()).isGreaterThanOrEqualTo(40);
                    }
                }
            }
        }
        for (float[] r : results) {
            assertThat(Arrays.equals(r, results.get(0))).isTrue();
        }
    }

    @Test
    void recycledArraysServeLaterBatchesWithTheSameFloats() throws Exception {
        try (AugmentPool pool = new AugmentPool(new ImageDecoder(), cfg, 2, 2, 0)) {
            ViewBatch first = pool.submit(files, seeds).get(30, TimeUnit.SECONDS);
            float[] v1 = first.view1().clone();
            float[] v2 = first.view2().clone();
            float[] reused1 = first.view1();
            pool.recycle(first);
            pool.recycle(first); // a second recycle must not hand the same arrays to two batches
            long[] other = seeds.clone();
            other[0]++;
            ViewBatch a = pool.submit(files, other).get(30, TimeUnit.SECONDS);
            ViewBatch b = pool.submit(files, seeds).get(30, TimeUnit.SECONDS);
            assertThat(a.view1() == reused1 || a.view2() == reused1).isTrue();
            assertThat(b.view1()).isNotSameAs(a.view1()).isNotSameAs(a.view2());
            assertThat(b.view2()).isNotSameAs(a.view1()).isNotSameAs(a.view2());
            // overwritten in full: the reused arrays hold exactly what fresh ones would
            pool.recycle(a);
            ViewBatch again = pool.submit(files, seeds).get(30, TimeUnit.SECONDS);
            assertThat(again.view1()).isEqualTo(v1);
            assertThat(again.view2()).isEqualTo(v2);
            // a caller's own arrays stay the caller's
            int len = cfg.sampleLength() * files.size();
            float[] mine1 = new float[len];
            float[] mine2 = new float[len];
            pool.recycle(pool.submit(files, seeds, mine1, mine2).get(30, TimeUnit.SECONDS));
            ViewBatch next = pool.submit(files, seeds).get(30, TimeUnit.SECONDS);
            assertThat(next.view1()).isNotSameAs(mine1).isNotSameAs(mine2);
            assertThat(next.view2()).isNotSameAs(mine1).isNotSameAs(mine2);
        }
    }

    @Test
    void badFilesAreReportedPerSampleAndZeroed() throws Exception {
        List<Path> mixed = new ArrayList<>(files.subList(0, 6));
        mixed.set(1, dir.resolve("missing.png"));
        mixed.set(3, Files.createFile(dir.resolve("empty.png")));
        byte[] good = Files.readAllBytes(files.get(4));
        mixed.set(4, Files.write(dir.resolve("cut.png"), Arrays.copyOf(good, good.length / 2)));
        long[] s = Arrays.copyOf(seeds, 6);
        try (AugmentPool pool = new AugmentPool(new ImageDecoder(), cfg, 2, 1, 1 << 20)) {
            ViewBatch b = pool.submit(mixed, s).get(30, TimeUnit.SECONDS);
            assertThat(b.failures()).extracting(SampleFailure::index).containsExactly(1, 3, 4);
            assertThat(b.failures()).extracting(SampleFailure::reason)
                    .containsExactly(Reason.MISSING, Reason.EMPTY, Reason.TRUNCATED);
            assertThat(b.failures().get(0).message()).contains("missing.png").doesNotContain("\n");
            assertThat(b.okIndices()).containsExactly(0, 2, 5);
            assertThat(b.ok(1)).isFalse();
            int len = b.sampleLength();
            for (int i : new int[]{1, 3, 4}) {
                for (int k = i * len; k < (i + 1) * len; k++) {
                    assertThat(b.view1()[k]).isZero();
                    assertThat(b.view2()[k]).isZero();
                }
            }
            // The good samples are unaffected by their failing neighbours.
            ViewBatch clean = pool.submit(files.subList(0, 6), s).get(30, TimeUnit.SECONDS);
            for (int i : b.okIndices()) {
                assertThat(Arrays.equals(b.view1(), i * len, (i + 1) * len, clean.view1(), i * len, (i + 1) * len))
                        .isTrue();
            }
        }
    }

    @Test
    void validateReportsBadFilesAndWarmsTheCache() throws Exception {
        List<Path> mixed = new ArrayList<>(files.subList(0, 5));
        mixed.set(2, Files.writeString(dir.resolve("text.png"), "not a png"));
        try (AugmentPool pool = new AugmentPool(new ImageDecoder(), cfg, 2, 2, 1 << 20)) {
            List<SampleFailure> bad = pool.submitValidate(mixed).get(30, TimeUnit.SECONDS);
            assertThat(bad).extracting(SampleFailure::index).containsExactly(2);
            assertThat(bad.get(0).reason()).isEqualTo(Reason.NOT_AN_IMAGE);
            assertThat(pool.cache().entries()).isEqualTo(4);
            long misses = pool.cache().misses();
            pool.submit(List.of(mixed.get(0), mixed.get(1)), new long[]{1, 2}).get(30, TimeUnit.SECONDS);
            assertThat(pool.cache().misses()).isEqualTo(misses);
        }
    }

    @Test
    void callerArraysAndEvalBatches() throws Exception {
        int len = cfg.sampleLength();
        float[] v1 = new float[files.size() * len];
        float[] v2 = new float[files.size() * len];
        try (AugmentPool pool = new AugmentPool(new ImageDecoder(), cfg, 2, 2, 0)) {
            ViewBatch b = pool.submit(files, seeds, v1, v2).get(30, TimeUnit.SECONDS);
            assertThat(b.view1()).isSameAs(v1);
            assertThat(b.workNanos()).isPositive();

            ViewBatch raw = pool.submitEval(files, true).get(30, TimeUnit.SECONDS);
            assertThat(raw.view2()).isNull();
            float[] expected = new float[len];
            EvalTransform eval = new EvalTransform(cfg);
            for (int i = 0; i < files.size(); i++) {
                eval.rawPixels(new ImageDecoder().decode(files.get(i)), expected, 0);
                assertThat(Arrays.equals(raw.view1(), i * len, (i + 1) * len, expected, 0, len)).isTrue();
            }
            assertThatThrownBy(() -> pool.submit(files, new long[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one seed per sample");
            assertThatThrownBy(() -> pool.submit(files, seeds, new float[10], v2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("view1");
            assertThat(pool.submit(List.of(), new long[0]).get().size()).isZero();
        }
    }

    @Test
    void closeCancelsUnfinishedBatchesAndRefusesNewOnes() throws Exception {
        AugmentPool pool = new AugmentPool(new ImageDecoder(), cfg, 1, 4, 0);
        // Four batches of 4,000 samples (each well over 100 ms on one thread), closed right after submission.
        List<Path> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.addAll(files);
        }
        long[] manySeeds = new long[many.size()];
        List<CompletableFuture<ViewBatch>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(pool.submit(many, manySeeds));
        }
        pool.close();
        // Each batch either finished before the close or was cancelled by it; none is left hanging.
        for (CompletableFuture<ViewBatch> f : fs) {
            assertThat(f.isDone()).isTrue();
            if (!f.isCompletedExceptionally()) {
                assertThat(f.get().size()).isEqualTo(4000);
            }
        }
        assertThat(fs.get(3).isCompletedExceptionally()).isTrue();
        assertThatThrownBy(() -> pool.submit(files, seeds)).isInstanceOf(IllegalStateException.class);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
