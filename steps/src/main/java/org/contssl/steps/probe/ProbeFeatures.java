package org.contssl.steps.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.contssl.lists.MemmapList;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.data.AugmentConfig;
import org.contssl.model.data.AugmentPool;
import org.contssl.model.data.ImageDecoder;
import org.contssl.model.data.SampleFailure;
import org.contssl.model.data.ViewBatch;
import org.contssl.model.features.FeatureExtractor;
import org.contssl.model.probe.FeatureMatrix;
import org.contssl.model.probe.MappedFeatureFile;
import org.contssl.reports.results.EncoderKind;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.pretrain.Seeds;
import org.contssl.steps.pretrain.TrainingCheckpoints;
import org.contssl.steps.pretrain.TrainingSessionFactory;

/**
 * Frozen features of one probe partition's encoder (a checkpoint, the random-init encoder, or none for raw pixels)
 * on a labelled list: with the deterministic eval transform ({@link #eval}), or — the reference's probe protocol —
 * on views re-drawn every epoch, RandomResizedCrop(insize, scale 0.08–1) + horizontal flip ({@link #augmented}).
 *
 * <p>Images that cannot be read follow the stream's skip policy: they are left out of the matrix, listed in
 * skipped.csv, and the probe fails once more than {@code data.skip_limit} of a list is unreadable. Decoding is
 * deterministic, so every epoch and every partition of a set drops the same images.
 */
final class ProbeFeatures implements AutoCloseable {

    private static final int IMAGES_PER_BATCH = 512;

    private final RunConfig config;
    private final ProbeTarget target;
    private final ProbeSkips skips;
    private final AugmentPool evalPool;
    private final AugmentPool trainPool;
    private final FeatureExtractor extractor;

    ProbeFeatures(RunConfig config, ProbeTarget target, ProbeSkips skips, boolean augmentedTraining) throws IOException {
        this.config = config;
        this.target = target;
        this.skips = skips;
        ImageDecoder decoder = new ImageDecoder(config.data().maxImagePixels(), ImageDecoder.DEFAULT_MAX_FILE_BYTES);
        AugmentConfig base = TrainingSessionFactory.augmentConfig(config).toBuilder()
                .evalCropFraction(ProbeRecipe.evalCropFraction(config)).build();
        this.evalPool = new AugmentPool(decoder, base, 1, 2, 0);
        this.trainPool = augmentedTraining ? new AugmentPool(decoder, referenceTrainConfig(base), 1, 2, 0) : null;
        this.extractor = extractor(config, target);
    }

    /**
     * The reference's probe training transform: RandomResizedCrop(insize) with torchvision's default scale and ratio,
     * RandomHorizontalFlip, Normalize; nothing else. Raw pixels keep [0, 1] values (no Normalize), as their eval.
     */
    private AugmentConfig referenceTrainConfig(AugmentConfig base) {
        AugmentConfig.Builder b = base.toBuilder()
                .scale(ProbeRecipe.REFERENCE_CROP_SCALE_MIN, 1.0)
                .ratio(3.0 / 4.0, 4.0 / 3.0)
                .jitter(0, 0, 0, 0, 0)
                .grayProb(0)
                .blur(0, base.sigmaMin(), base.sigmaMax())
                .flipProb(0.5);
        if (target.kind() == EncoderKind.RAW_PIXELS) {
            float[] zero = new float[base.outChannels()];
            float[] one = new float[base.outChannels()];
            Arrays.fill(one, 1f);
            b.normalize(zero, one);
        }
        return b.build();
    }

    private static FeatureExtractor extractor(RunConfig config, ProbeTarget target) throws IOException {
        RunConfig.Model m = config.model();
        SimSiamSpec spec = SimSiamSpec.of(m.backbone(), config.data().channels(), config.data().insize(), m.cifarStem());
        return switch (target.kind()) {
            case RAW_PIXELS -> null;
            case RANDOM_INIT -> FeatureExtractor.randomInit(spec,
                    Seeds.derive(config.environment().seed(), Seeds.Purpose.MODEL_INIT));
            case TRAINED -> {
                Path model = TrainingCheckpoints.modelFileOf(Path.of(target.checkpoint()));
                try (InputStream in = Files.newInputStream(model)) {
                    yield FeatureExtractor.fromState(in, model.toString());
                }
            }
        };
    }

    /** Features of every readable image of {@code list} under the eval transform. */
    FeatureMatrix eval(MemmapList list, String split) {
        return matrix(list, split, -1, 0);
    }

    /** Features of every readable image of {@code list}, each a fresh training view of {@code epoch}. */
    FeatureMatrix augmented(MemmapList list, String split, int epoch, long probeSeed) {
        return matrix(list, split, epoch, probeSeed);
    }

    private FeatureMatrix matrix(MemmapList list, String split, int epoch, long probeSeed) {
        int n = Math.toIntExact(list.size());
        int[] labels = new int[n];
        float[][] values = {null};
        int[] rows = {0};
        int dim = forEachRow(list, split, epoch, probeSeed, (row, label) -> {
            if (values[0] == null) {
                values[0] = new float[Math.multiplyExact(n, row.length)];
            }
            System.arraycopy(row, 0, values[0], rows[0] * row.length, row.length);
            labels[rows[0]++] = label;
        });
        float[] v = values[0];
        int[] l = labels;
        if (rows[0] < n) {
            v = v == null ? new float[0] : Arrays.copyOf(v, rows[0] * dim); // none readable: FeatureMatrix says so
            l = Arrays.copyOf(labels, rows[0]);
        }
        return new FeatureMatrix(v, rows[0], dim, l, target.numClasses());
    }

    /** Width of this encoder's features: the backbone's pooled output, or C x insize x insize raw pixels. */
    int featureDim() {
        int side = config.data().insize();
        return extractor != null ? extractor.featureDim() : Math.multiplyExact(config.data().channels(), side * side);
    }

    /**
     * Eval-transform features of every readable image of {@code list}, streamed batch by batch to a memory-mapped
     * feature file at {@code file} (atomically published): the heap never holds more than one batch of images and
     * features, whatever the list's length.
     */
    void evalToFile(MemmapList list, String split, Path file) throws IOException {
        int n = Math.toIntExact(list.size());
        int dim = featureDim();
        try (MappedFeatureFile.Writer w = MappedFeatureFile.create(file, n, dim, target.numClasses())) {
            forEachRow(list, split, -1, 0, (row, label) -> {
                if (row.length != dim) {
                    throw new IllegalStateException("probe features of " + list.dataFile() + " have " + row.length
                            + " values, expected " + dim);
                }
                w.append(row, 0, label);
            });
            w.commitWritten();
        }
    }

    /** Receives one image's features and label, in list order. */
    @FunctionalInterface
    private interface RowSink {
        void accept(float[] row, int label) throws IOException;
    }

    /**
     * Feeds the features of every readable image of {@code list} to {@code sink} (unreadable ones follow the skip
     * policy); returns the feature width.
     */
    private int forEachRow(MemmapList list, String split, int epoch, long probeSeed, RowSink sink) {
        int n = Math.toIntExact(list.size());
        if (!list.hasLabels()) {
            throw new IllegalStateException("probe list " + list.dataFile() + " has no labels file: a probe needs labels");
        }
        int dim = -1;
        List<SampleFailure> failed = new ArrayList<>();
        for (int start = 0; start < n; start += IMAGES_PER_BATCH) {
            int count = Math.min(IMAGES_PER_BATCH, n - start);
            List<Path> files = new ArrayList<>(count);
            long[] seeds = new long[count];
            for (int i = 0; i < count; i++) {
                files.add(list.resolve(start + i));
                seeds[i] = Seeds.derive(probeSeed, Seeds.Purpose.PROBE, epoch + 1L, start + i);
            }
            ViewBatch batch = load(files, seeds, epoch >= 0);
            float[][] out = extractor == null ? split(batch.view1(), count) : extractor.extract(batch.view1(), count);
            dim = out[0].length;
            for (int i = 0; i < count; i++) {
                if (!batch.ok(i)) {
                    continue; // an unreadable image: its slot holds zeros, not an image
                }
                try {
                    sink.accept(out[i], list.labelAt(start + i));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            for (SampleFailure f : batch.failures()) {
                failed.add(new SampleFailure(start + f.index(), f.file(), f.reason(), f.message()));
            }
        }
        if (!failed.isEmpty()) {
            skips.record(target.dataset(), split, list, failed);
        }
        return dim;
    }

    private ViewBatch load(List<Path> files, long[] seeds, boolean augmented) {
        try {
            return augmented ? trainPool.submit(files, seeds).get()
                    : evalPool.submitEval(files, target.kind() == EncoderKind.RAW_PIXELS).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading probe images", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("loading probe images failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static float[][] split(float[] flat, int n) {
        int len = flat.length / n;
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * len, (i + 1) * len);
        }
        return rows;
    }

    @Override
    public void close() {
        evalPool.close();
        if (trainPool != null) {
            trainPool.close();
        }
        if (extractor != null) {
            extractor.close();
        }
    }
}
