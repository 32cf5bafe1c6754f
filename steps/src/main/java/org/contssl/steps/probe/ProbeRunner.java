package org.contssl.steps.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.contssl.core.AtomicFiles;
import org.contssl.core.Sha256Sidecar;
import org.contssl.lists.MemmapList;
import org.contssl.model.probe.FeatureMatrix;
import org.contssl.model.probe.GemmKnn;
import org.contssl.model.probe.GemmLinearProbe;
import org.contssl.model.probe.KnnClassifier;
import org.contssl.model.probe.LinearProbe;
import org.contssl.model.probe.MappedFeatureFile;
import org.contssl.model.probe.ProbeSettings;
import org.contssl.model.probe.TopKAccuracy;
import org.contssl.reports.results.DatasetRole;
import org.contssl.reports.results.EncoderKind;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.ProbeProtocol;
import org.contssl.reports.results.ProbeRecord;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.pretrain.Seeds;
import org.contssl.steps.workdir.Workdir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one probe partition: frozen features of the encoder on the dataset's train and test images (eval mode,
 * BN running statistics, global-average-pooled, cached on disk), then a linear probe (LARC SGD) and a cosine kNN
 * on the same features; with {@code lincls.mode=reference} the linear probe instead trains on views re-augmented
 * every epoch ({@link ProbeFeatures#augmented}). Schedules come from {@link ProbeRecipe}. The result file is written
 * when everything succeeded, so a crash leaves no partial result.
 */
public final class ProbeRunner {

    private static final Logger log = LoggerFactory.getLogger(ProbeRunner.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final RunConfig config;
    private final Workdir workdir;
    private final ProbeSkips skips;

    public ProbeRunner(RunConfig config, Workdir workdir) {
        this.config = config;
        this.workdir = workdir;
        this.skips = new ProbeSkips(workdir.skippedCsv(), config.data().skipLimit());
    }

    public static Path resultFile(Workdir workdir, ProbeTarget target) {
        return workdir.probesDir().resolve(target.key() + ".json");
    }

    public static Optional<ProbeResult> readResult(Path file) {
        try {
            return Optional.of(JSON.readValue(file.toFile(), ProbeResult.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public ProbeResult run(ProbeTarget target) {
        Path out = resultFile(workdir, target);
        Optional<ProbeResult> done = Optional.empty();
        Sha256Sidecar.Verdict verdict = Sha256Sidecar.verify(out);
        if (verdict == Sha256Sidecar.Verdict.OK) {
            done = readResult(out);
        } else if (verdict != Sha256Sidecar.Verdict.MISSING) {
            // a result changed since it was written is never reused: the partition runs again and rewrites it
            log.warn("probe result {} {}: running the probe again", out,
                    verdict == Sha256Sidecar.Verdict.MISMATCH ? "does not match its recorded sha256"
                            : "has no recorded sha256");
        }
        if (done.isPresent()) {
            return done.get();
        }
        long t0 = System.nanoTime();
        long probeSeed = Seeds.derive(config.environment().seed(), Seeds.Purpose.PROBE);
        boolean reference = config.lincls().reference();
        // the kNN is plain Java: give it the cores the parallel partitions leave (its result does not depend on it)
        int knnThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / ProbeStepListener.parallelPartitions(config));
        KnnClassifier knnClassifier = new KnnClassifier(config.eval().knnK(), KnnClassifier.DEFAULT_TEMPERATURE, knnThreads);
        Scores scores;
        try (MemmapList train = MemmapList.open(Path.of(target.trainList()));
             MemmapList test = MemmapList.open(Path.of(target.testList()));
             ProbeFeatures source = new ProbeFeatures(config, target, skips, reference)) {
            scores = !reference && mapped(train.size(), source.featureDim())
                    ? mappedScores(target, source, train, test, probeSeed, knnClassifier)
                    : heapScores(target, source, train, test, probeSeed, knnClassifier);
        } catch (IOException e) {
            throw new UncheckedIOException("features of " + target.key() + ": " + e.getMessage(), e);
        }
        ProbeRecipe recipe = scores.recipe();
        TopKAccuracy linear = scores.linear();
        TopKAccuracy knn = scores.knn();
        ProbeSettings settings = settings(recipe, probeSeed);
        double seconds = (System.nanoTime() - t0) / 1e9;
        DatasetRole role = DatasetRole.OUT_OF_DISTRIBUTION.key().equals(target.role())
                ? DatasetRole.OUT_OF_DISTRIBUTION : DatasetRole.IN_DISTRIBUTION;
        List<ProbeRecord> records = new ArrayList<>();
        for (var m : List.of(ProbeMethod.LINEAR, ProbeMethod.KNN)) {
            TopKAccuracy acc = m == ProbeMethod.LINEAR ? linear : knn;
            ProbeRecord r = target.kind() == EncoderKind.TRAINED
                    ? ProbeRecord.trained(target.encoder(), target.progress(), target.dataset(), role, m,
                    acc.top1(), acc.top5(), scores.trainRows(), scores.testRows())
                    : ProbeRecord.floor(target.kind(), target.dataset(), role, m, acc.top1(), acc.top5(),
                    scores.trainRows(), scores.testRows());
            records.add(r.withFeatureDim(scores.dim()).withWallSeconds(seconds));
        }
        ProbeProtocol protocol = new ProbeProtocol(target.dataset(), role, target.trainList(), target.testList(),
                scores.trainRows(), scores.testRows(), settings.epochs(), settings.lr(), settings.batchSize(),
                settings.momentum(), settings.trustCoefficient(), settings.weightDecay(), knnClassifier.k(),
                "similarity-weighted, exp(s/" + knnClassifier.temperature() + ")",
                target.kind() == EncoderKind.RAW_PIXELS ? "raw pixels, L2-normalised"
                        : "global-average-pooled backbone output (eval-mode BN), L2-normalised", probeSeed)
                .withMode(modeText(recipe) + (scores.mapped() ? MAPPED_NOTE : ""));
        ProbeResult result = new ProbeResult(target, records, protocol, seconds);
        write(out, result);
        log.info("probe {}: linear top-1 {}%, kNN top-1 {}% ({} s)", target.key(),
                String.format("%.2f", linear.top1()), String.format("%.2f", knn.top1()),
                String.format("%.1f", seconds));
        return result;
    }

    /** What one partition measured, from either feature path. */
    private record Scores(TopKAccuracy linear, TopKAccuracy knn, ProbeRecipe recipe, int trainRows, int testRows,
                          int dim, boolean mapped) {
    }

    static final String MAPPED_NOTE = "; features memory-mapped, linear probe and kNN through the engine's fp32 GEMM";

    /**
     * Whether a training split of {@code rows} images with {@code dim}-wide features goes the memory-mapped way
     * ({@code lincls.mapped_above_mb}, cached mode only): the heap path holds several copies of the whole matrix.
     */
    private boolean mapped(long rows, int dim) {
        double mb = 4.0 * rows * dim / (1 << 20);
        return mb > config.lincls().mappedAboveMb();
    }

    /** The exact in-heap probes: features in the heap, {@link LinearProbe} and {@link KnnClassifier}. */
    private Scores heapScores(ProbeTarget target, ProbeFeatures source, MemmapList train, MemmapList test,
                              long probeSeed, KnnClassifier knnClassifier) throws IOException {
        FeatureMatrix[] features = cachedFeatures(target, source, train, test);
        ProbeRecipe recipe = ProbeRecipe.of(config, target.settingsKey(), target.role(), features[0].rows());
        ProbeSettings settings = settings(recipe, probeSeed);
        warnIfFewSteps(target, recipe, features[0].rows());
        TopKAccuracy linear;
        if (recipe.reference()) {
            // the reference's protocol: a fresh RandomResizedCrop + flip of every training image each epoch;
            // the cached eval-transform train features still serve the kNN
            linear = LinearProbe.evaluate(new LinearProbe(settings).train(
                    epoch -> source.augmented(train, "train", epoch, probeSeed)), features[1]);
        } else {
            linear = new LinearProbe(settings).fitAndEvaluate(features[0], features[1]);
        }
        TopKAccuracy knn = knnClassifier.evaluate(features[0], features[1]);
        return new Scores(linear, knn, recipe, features[0].rows(), features[1].rows(), features[0].dim(), false);
    }

    /**
     * Large sets: features streamed to memory-mapped files in {@code features/} (kept for a rerun, checksummed),
     * the linear probe through {@link GemmLinearProbe}, the kNN through {@link GemmKnn}; the heap holds a few
     * mini-batches, never the matrix (docs/performance.md, "Probes at ImageNet scale").
     */
    private Scores mappedScores(ProbeTarget target, ProbeFeatures source, MemmapList train, MemmapList test,
                                long probeSeed, KnnClassifier knnClassifier) throws IOException {
        Path trainFile = workdir.featuresDir().resolve(target.key() + ".train.feat");
        Path testFile = workdir.featuresDir().resolve(target.key() + ".test.feat");
        try (MappedFeatureFile tr = mappedFeatures(source, train, "train", trainFile);
             MappedFeatureFile te = mappedFeatures(source, test, "test", testFile)) {
            ProbeRecipe recipe = ProbeRecipe.of(config, target.settingsKey(), target.role(), tr.rows());
            ProbeSettings settings = settings(recipe, probeSeed);
            warnIfFewSteps(target, recipe, tr.rows());
            TopKAccuracy linear = GemmLinearProbe.evaluate(new GemmLinearProbe(settings).train(tr), te);
            TopKAccuracy knn = new GemmKnn(knnClassifier.k(), knnClassifier.temperature()).evaluate(tr, te);
            return new Scores(linear, knn, recipe, tr.rows(), te.rows(), tr.dim(), true);
        }
    }

    /** A split's mapped features: the file an earlier attempt left if it is intact, else extracted now. */
    private static MappedFeatureFile mappedFeatures(ProbeFeatures source, MemmapList list, String split, Path file)
            throws IOException {
        if (Files.isRegularFile(file)) {
            try {
                return MappedFeatureFile.open(file, true);
            } catch (IOException e) {
                log.warn("{}; extracting the features again", e.getMessage());
                Files.delete(file);
            }
        }
        Files.createDirectories(file.getParent());
        source.evalToFile(list, split, file);
        return MappedFeatureFile.open(file, false);
    }

    private static ProbeSettings settings(ProbeRecipe recipe, long probeSeed) {
        return ProbeSettings.defaults().withEpochs(recipe.epochs()).withLr(recipe.lr())
                .withBatchSize(recipe.batchSize()).withSeed(probeSeed);
    }

    /**
     * LARC moves the head by at most lr x 0.001 of its norm per step, so a probe given a few dozen steps stays near its
     * N(0, 0.01^2) init and, on L2-normalised ReLU features (all in one orthant), predicts one class for every image:
     * chance accuracy that looks like a useless encoder. Say so in the log instead of letting it pass silently.
     */
    private static void warnIfFewSteps(ProbeTarget target, ProbeRecipe recipe, int trainRows) {
        long steps = (long) recipe.epochs() * ((trainRows + recipe.batchSize() - 1) / recipe.batchSize());
        if (steps < ProbeRecipe.MIN_STEPS / 10) {
            log.warn("probe {}: only {} SGD steps ({} epochs of {} images in batches of {}); the linear probe may stay"
                            + " at chance: raise lincls.{}.optim.epochs or set it to 0 (auto, >= {} steps)",
                    target.key(), steps, recipe.epochs(), trainRows, recipe.batchSize(), target.settingsKey(),
                    ProbeRecipe.MIN_STEPS);
        }
    }

    /** How the report names the protocol: the mode, its training views and its eval crop. */
    static String modeText(ProbeRecipe recipe) {
        String crop = String.format(java.util.Locale.ROOT, "%.4g", recipe.evalCropFraction());
        return recipe.reference()
                ? "reference: RandomResizedCrop(scale 0.08-1) + flip re-drawn every epoch; eval centre crop " + crop
                : "cached: eval-transform features extracted once; eval centre crop " + crop;
    }

    /** The eval-transform features of both splits, from the on-disk cache when an earlier attempt stored them. */
    private FeatureMatrix[] cachedFeatures(ProbeTarget target, ProbeFeatures source, MemmapList train,
                                           MemmapList test) throws IOException {
        Path cache = workdir.featuresDir().resolve(target.key() + ".features");
        Optional<FeatureMatrix[]> cached = FeatureCache.read(cache);
        if (cached.isPresent()) {
            return cached.get();
        }
        FeatureMatrix[] result = {source.eval(train, "train"), source.eval(test, "test")};
        FeatureCache.write(cache, result[0], result[1]);
        return result;
    }

    /**
     * Synced and renamed into place, its SHA-256 recorded beside it: a restarted probe partition and the report
     * trust a result file only when it still matches.
     */
    private static void write(Path out, ProbeResult result) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(result);
            // the record before the file: a crash between them leaves no result (recomputed), never a result that
            // looks damaged next to a result the step already counted (docs/failures.md)
            Sha256Sidecar.recordUpcoming(out, bytes);
            AtomicFiles.write(out, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /** A probe image that cannot be read: the probe fails (a probe on partial data would be silently wrong). */
    public static final class BadProbeImageException extends RuntimeException {
        BadProbeImageException(String message) {
            super(message);
        }
    }
}
