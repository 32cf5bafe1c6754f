package org.contssl.steps.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.contssl.lists.ListMetadata;
import org.contssl.core.Sha256Sidecar;
import org.contssl.lists.MemmapList;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.lists.stream.StreamPlanner;
import org.contssl.model.SimSiamSpec;
import org.contssl.reports.results.CheckpointRecord;
import org.contssl.reports.results.CollapseMonitor;
import org.contssl.reports.results.DomainMatrix;
import org.contssl.reports.results.JobRecord;
import org.contssl.reports.results.MethodSummary;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.ProbeRecord;
import org.contssl.reports.results.RunResults;
import org.contssl.reports.results.SkippedImage;
import org.contssl.reports.results.StreamFacts;
import org.contssl.reports.results.TimeSeriesFiles;
import org.contssl.reports.series.MetricsCsv;
import org.contssl.reports.series.MetricsRow;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.failure.DamagedStateFile;
import org.contssl.steps.pretrain.PretrainPlan;
import org.contssl.steps.pretrain.SaveSchedule;
import org.contssl.steps.pretrain.TrainingCheckpoints;
import org.contssl.steps.probe.ProbePlanner;
import org.contssl.steps.probe.ProbeResult;
import org.contssl.steps.probe.ProbeRunner;
import org.contssl.steps.probe.sets.UserProbeSets;
import org.contssl.steps.workdir.Workdir;
import org.contssl.storage.checkpoint.Checkpoint;
import org.springframework.batch.core.SpringBatchVersion;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Gathers everything a run left behind — the resolved config, the job history in H2, the stream plan, the
 * checkpoints, the probe partitions' results, metrics.csv and skipped.csv — into the report's results model.
 * It reads only stored results, so `./run.sh report` can regenerate a report at any time.
 */
public final class RunResultsCollector {

    private static final List<String> CHILD_JOBS = List.of("lists", "subsample", "pretrain", "probe", "report");

    private RunResultsCollector() {
    }

    public static RunResults collect(ResolvedConfig resolved, Workdir workdir, JobRepository repository) {
        verifyStateFiles(workdir);
        RunConfig config = resolved.config();
        RunConfig.Model m = config.model();
        RunResults.Builder b = RunResults.builder()
                .runName(workdir.root().getFileName().toString())
                .createdAt(OffsetDateTime.now().withNano(0).toString())
                .workdir(workdir.root().toString())
                .method(MethodSummary.of(m.buffered() ? m.policy() : m.bufferType(), m.buffSiz(), m.numUpdates(),
                        config.optim().epochs()))
                .config(resolved.asMap())
                .configHash(resolved.hash())
                .seed(config.environment().seed())
                .version("contssl", Versions.contssl())
                .version("java", System.getProperty("java.version"))
                .version("spring-batch", SpringBatchVersion.getVersion())
                .version("djl", Versions.djl())
                .version("engine", Versions.engine())
                .timeSeries(new TimeSeriesFiles("metrics.csv", "buffer_composition.csv",
                        "domains".equals(config.data().stream()) ? "domain" : "class"));
        jobs(repository, workdir, resolved).forEach(b::job);
        StreamPlan plan = plan(workdir);
        if (plan != null) {
            stream(b, config, plan);
            probeSets(b, plan, workdir);
        }
        List<Checkpoint> checkpoints = new TrainingCheckpoints(workdir.checkpointsDir()).list();
        for (Checkpoint c : checkpoints) {
            b.checkpoint(new CheckpointRecord(c.name(), ProbePlanner.progressOf(c), Long.parseLong(c.metadata()
                    .getOrDefault("step", "0")), Long.parseLong(c.metadata().getOrDefault("position", "0")),
                    workdir.root().relativize(c.dir()).toString(), c.metadata().get("params_sha256")));
            if (SaveSchedule.FINAL.equals(c.name())) {
                b.finalParamsSha256(c.metadata().get("params_sha256"));
            }
        }
        List<ProbeResult> probes = probes(workdir);
        for (ProbeResult p : probes) {
            b.probes(p.records());
            b.probeProtocol(p.protocol());
        }
        if (plan != null && !plan.domainProbes().isEmpty()) {
            domainMatrix(plan, checkpoints, probes).ifPresent(b::domainMatrix);
        }
        collapse(workdir, config).ifPresent(b::collapse);
        skipped(workdir, b);
        return b.build();
    }

    private static StreamPlan plan(Workdir workdir) {
        return Files.exists(workdir.listsDir().resolve(StreamPlanner.PLAN_FILE))
                ? StreamPlanner.readPlan(workdir.listsDir()) : null;
    }

    private static void stream(RunResults.Builder b, RunConfig config, StreamPlan plan) {
        int k = config.data().subsample();
        long length = plan.streamLength() / k + (plan.streamLength() % k == 0 ? 0 : 1);
        RunConfig.Model m = config.model();
        Map<String, Long> phases = new LinkedHashMap<>();
        try {
            PretrainPlan p = PretrainPlan.of(length, config.optim().batchSize(), m.numUpdates(), m.buffSiz(),
                    m.buffered(), config.optim().epochs());
            phases.put("fill", 0L);
            phases.put("stream", p.streamSteps());
            phases.put("drain", p.drainSteps());
            b.stream(new StreamFacts(plan.kind(), plan.streamLength(), p.keptLength(), p.droppedTail(), k,
                    config.optim().batchSize(), phases, plan.domainOrder() == null ? List.of()
                    : plan.domainOrder().chars().mapToObj(c -> String.valueOf((char) c)).toList()));
            if (m.buffered()) {
                b.note(String.format("Buffer fill phase: %d incoming chunks of %d without training before the"
                        + " buffer of %d was first full.", p.fillChunks(), p.batch(), p.capacity()));
            }
        } catch (IllegalArgumentException e) {
            b.note("stream facts unavailable: " + e.getMessage());
        }
        b.dataHash("stream list", sha(plan.streamList()));
    }

    private static void probeSets(RunResults.Builder b, StreamPlan plan, Workdir workdir) {
        for (UserProbeSets.Planned p : UserProbeSets.effective(plan, workdir.listsDir())) {
            ProbeSet set = p.set();
            b.dataHash(set.name() + " probe train", sha(set.trainList()));
            b.dataHash(set.name() + " probe test", sha(set.testList()));
        }
    }

    private static String sha(Path list) {
        try (MemmapList l = MemmapList.open(list)) {
            ListMetadata meta = l.metadata();
            return meta != null && meta.sha256() != null ? meta.sha256() : l.computeSha256();
        } catch (RuntimeException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    /**
     * The report trusts no probe result or metrics series that changed since it was written (docs/failures.md,
     * "Damaged or deleted state files"): a probe result must match its recorded SHA-256, a metrics CSV the prefix
     * recorded at pretraining's last commit. A file without a record (an older workdir) is read as it is.
     */
    static void verifyStateFiles(Workdir workdir) {
        if (Files.isDirectory(workdir.probesDir())) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(workdir.probesDir(), "*.json")) {
                for (Path f : files) {
                    // MISMATCH only: a result without a record comes from a version before the records (this
                    // version records a result before writing it), and is read as it is
                    if (Sha256Sidecar.verify(f) == Sha256Sidecar.Verdict.MISMATCH) {
                        throw new DamagedStateFile(f, "restore it, or delete it and start the experiment again in a"
                                + " new workdir (the probe step is over and will not run it again)");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + workdir.probesDir(), e);
            }
        }
        for (Path series : List.of(workdir.metricsCsv(), workdir.bufferCompositionCsv())) {
            if (Sha256Sidecar.verify(series) == Sha256Sidecar.Verdict.MISMATCH) {
                throw new DamagedStateFile(series, "restore it, or move it away and run `report` again (the report"
                        + " then has no training curves)");
            }
        }
    }

    private static List<ProbeResult> probes(Workdir workdir) {
        List<ProbeResult> out = new ArrayList<>();
        if (!Files.isDirectory(workdir.probesDir())) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(workdir.probesDir(), "*.json")) {
            for (Path f : files) {
                ProbeRunner.readResult(f).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + workdir.probesDir(), e);
        }
        out.sort(Comparator.comparing(p -> p.target().key()));
        return out;
    }

    /** A[i][j]: linear top-1 on the j-th domain of the stream after the i-th domain (columns in stream order). */
    private static Optional<DomainMatrix> domainMatrix(StreamPlan plan, List<Checkpoint> checkpoints,
                                                       List<ProbeResult> probes) {
        List<Checkpoint> rows = ProbePlanner.domainCheckpoints(checkpoints, plan.domainProbes().size());
        // the built-in stream plays its domains in data.order; a data.domains file lists them in stream order
        List<String> order = plan.domainOrder() == null
                ? plan.domainProbes().stream().map(ProbeSet::name).toList()
                : plan.domainOrder().chars().mapToObj(c -> String.valueOf((char) c)).toList();
        if (rows.size() != order.size()) {
            return Optional.empty();
        }
        double[][] a = new double[order.size()][order.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < order.size(); j++) {
                String dataset = plan.domainOrder() == null ? order.get(j)
                        : plan.domainProbes().get(Integer.parseInt(order.get(j))).name();
                String encoder = rows.get(i).name();
                a[i][j] = probes.stream().flatMap(p -> p.records().stream())
                        .filter(r -> encoder.equals(r.checkpoint()) && dataset.equals(r.dataset())
                                && r.method() == ProbeMethod.LINEAR)
                        .mapToDouble(ProbeRecord::top1).findFirst().orElse(Double.NaN);
            }
        }
        return Optional.of(new DomainMatrix(order, rows.stream().map(Checkpoint::name).toList(),
                rows.stream().map(ProbePlanner::progressOf).toList(), a, ProbeMethod.LINEAR));
    }

    private static Optional<CollapseMonitor> collapse(Workdir workdir, RunConfig config) {
        if (!Files.exists(workdir.metricsCsv())) {
            return Optional.empty();
        }
        List<MetricsRow> rows = MetricsCsv.read(workdir.metricsCsv());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        MetricsRow last = rows.get(rows.size() - 1);
        int dim = SimSiamSpec.of(config.model().backbone(), config.data().channels(), config.data().insize(),
                config.model().cifarStem()).dim();
        return Optional.of(CollapseMonitor.of(last.zStd(), dim, last.step()));
    }

    private static void skipped(Workdir workdir, RunResults.Builder b) {
        if (!Files.exists(workdir.skippedCsv())) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(workdir.skippedCsv(), StandardCharsets.UTF_8);
            long total = 0;
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.split(",", 4);
                if (f.length >= 3) {
                    total++;
                    b.skipped(new SkippedImage(Long.parseLong(f[0]), f[1], f[2] + (f.length > 3 ? ": " + f[3] : "")));
                }
            }
            b.skippedImagesTotal(total);
        } catch (IOException | NumberFormatException e) {
            b.note("skipped.csv unreadable: " + e.getMessage());
        }
    }

    /** One record per child job of this experiment: the last execution's status, summed time and counts. */
    private static List<JobRecord> jobs(JobRepository repository, Workdir workdir, ResolvedConfig resolved) {
        List<JobRecord> out = new ArrayList<>();
        for (String name : CHILD_JOBS) {
            List<JobExecution> executions = new ArrayList<>();
            for (JobInstance instance : repository.getJobInstances(name, 0, Integer.MAX_VALUE)) {
                for (JobExecution e : repository.getJobExecutions(instance)) {
                    if (resolved.hash().equals(e.getJobParameters().getString("config.hash"))) {
                        executions.add(repository.getJobExecution(e.getId()));
                    }
                }
            }
            if (executions.isEmpty()) {
                continue;
            }
            executions.sort(Comparator.comparing(JobExecution::getId));
            JobExecution last = executions.get(executions.size() - 1);
            if ("report".equals(name) && last.getStatus().isRunning()) {
                continue; // the report job that is writing this very report: its time is not known yet
            }
            double wall = 0;
            long read = 0;
            long write = 0;
            long skip = 0;
            for (JobExecution e : executions) {
                wall += seconds(e.getStartTime(), e.getEndTime());
                for (StepExecution s : e.getStepExecutions()) {
                    if (s.getStepName().contains(":")) {
                        continue; // partitions are summed by their manager step
                    }
                    read += s.getReadCount();
                    write += s.getWriteCount();
                    skip += s.getSkipCount();
                }
            }
            String message = last.getExitStatus().getExitDescription();
            out.add(new JobRecord(name, last.getStatus().name(), message == null || message.isBlank() ? ""
                    : message.lines().findFirst().orElse(""), time(executions.get(0).getStartTime()),
                    time(last.getEndTime()), wall, read, write, skip, executions.size()));
        }
        return out;
    }

    private static double seconds(LocalDateTime start, LocalDateTime end) {
        if (start == null) {
            return 0;
        }
        return Duration.between(start, end == null ? LocalDateTime.now() : end).toMillis() / 1000.0;
    }

    private static String time(LocalDateTime t) {
        return t == null ? null : t.withNano(0).toString();
    }
}
