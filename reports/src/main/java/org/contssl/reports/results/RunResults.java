package org.contssl.reports.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run's report shows, as written to {@code results.json} (snake_case keys, see {@link ResultsJson}).
 * The pipeline fills it through {@link #builder()}; the renderers only read it. Optional parts are null or empty.
 *
 * @param schemaVersion      format version of results.json
 * @param runName            short name used as the run's row in comparisons
 * @param createdAt          ISO-8601 time the results were assembled
 * @param workdir            the run's workdir (absolute)
 * @param method             buffer/method summary in the reference's table terms
 * @param config             the resolved configuration tree
 * @param configHash         hash of the resolved configuration
 * @param seed               run seed
 * @param versions           software versions (contssl, java, djl, pytorch, ...)
 * @param dataHashes         data file/list name -> sha256
 * @param stream             stream facts
 * @param jobs               child jobs, in pipeline order
 * @param skippedImages      skipped images (possibly only the first ones; see skippedImagesTotal)
 * @param skippedImagesTotal total skipped images
 * @param checkpoints        checkpoints in progress order
 * @param probeProtocols     probe settings per downstream dataset
 * @param probes             all probe results
 * @param domainMatrix       A[after i][on j] for a domains stream, else null
 * @param finalParamsSha256  sha256 of the final parameters
 * @param collapse           final collapse monitor, may be null
 * @param timeSeries         CSV locations, may be null
 * @param notes              free-text remarks (deviations from the reference, warnings)
 */
@JsonIgnoreProperties(ignoreUnknown = true) // results.json of newer runs stays readable by `report --compare`
public record RunResults(int schemaVersion, String runName, String createdAt, String workdir, MethodSummary method,
                         Map<String, Object> config, String configHash, long seed, Map<String, String> versions,
                         Map<String, String> dataHashes, StreamFacts stream, List<JobRecord> jobs,
                         List<SkippedImage> skippedImages, long skippedImagesTotal, List<CheckpointRecord> checkpoints,
                         Map<String, ProbeProtocol> probeProtocols, List<ProbeRecord> probes, DomainMatrix domainMatrix,
                         String finalParamsSha256, CollapseMonitor collapse, TimeSeriesFiles timeSeries, List<String> notes) {

    public static final int SCHEMA_VERSION = 1;

    public RunResults {
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
        versions = versions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        dataHashes = dataHashes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(dataHashes));
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
        skippedImages = skippedImages == null ? List.of() : List.copyOf(skippedImages);
        skippedImagesTotal = Math.max(skippedImagesTotal, skippedImages.size());
        checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
        probeProtocols = probeProtocols == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(probeProtocols));
        probes = probes == null ? List.of() : List.copyOf(probes);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Downstream datasets in first-seen order, in-distribution ones first. */
    public List<String> datasets() {
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        for (ProbeRecord p : probes) {
            List<String> l = p.role() == DatasetRole.IN_DISTRIBUTION ? in : out;
            if (!in.contains(p.dataset()) && !out.contains(p.dataset())) l.add(p.dataset());
        }
        in.addAll(out);
        return in;
    }

    /** Role of a dataset as its probe records state it. */
    public DatasetRole roleOf(String dataset) {
        return probes.stream().filter(p -> p.dataset().equals(dataset)).map(ProbeRecord::role).findFirst()
                .orElse(DatasetRole.IN_DISTRIBUTION);
    }

    /** Trained-checkpoint results on one dataset with one method, by increasing progress. */
    public List<ProbeRecord> trainedCurve(String dataset, ProbeMethod method) {
        return probes.stream()
                .filter(p -> p.encoder() == EncoderKind.TRAINED && p.dataset().equals(dataset) && p.method() == method)
                .sorted(java.util.Comparator.comparingDouble(ProbeRecord::progress))
                .toList();
    }

    /** The result of the most advanced checkpoint (highest progress) on one dataset with one method. */
    public Optional<ProbeRecord> finalTrained(String dataset, ProbeMethod method) {
        List<ProbeRecord> c = trainedCurve(dataset, method);
        return c.isEmpty() ? Optional.empty() : Optional.of(c.get(c.size() - 1));
    }

    /** A floor's result on one dataset with one method. */
    public Optional<ProbeRecord> floor(EncoderKind kind, String dataset, ProbeMethod method) {
        return probes.stream().filter(p -> p.encoder() == kind && p.dataset().equals(dataset) && p.method() == method).findFirst();
    }

    /** Mutable builder so the pipeline can fill the results piece by piece. */
    public static final class Builder {
        private String runName = "run";
        private String createdAt = java.time.OffsetDateTime.now().withNano(0).toString();
        private String workdir;
        private MethodSummary method;
        private Map<String, Object> config = new LinkedHashMap<>();
        private String configHash;
        private long seed;
        private final Map<String, String> versions = new LinkedHashMap<>();
        private final Map<String, String> dataHashes = new LinkedHashMap<>();
        private StreamFacts stream;
        private final List<JobRecord> jobs = new ArrayList<>();
        private final List<SkippedImage> skipped = new ArrayList<>();
        private long skippedTotal;
        private final List<CheckpointRecord> checkpoints = new ArrayList<>();
        private final Map<String, ProbeProtocol> protocols = new LinkedHashMap<>();
        private final List<ProbeRecord> probes = new ArrayList<>();
        private DomainMatrix domainMatrix;
        private String finalParamsSha256;
        private CollapseMonitor collapse;
        private TimeSeriesFiles timeSeries;
        private final List<String> notes = new ArrayList<>();

        public Builder runName(String v) { runName = v; return this; }
        public Builder createdAt(String v) { createdAt = v; return this; }
        public Builder workdir(String v) { workdir = v; return this; }
        public Builder method(MethodSummary v) { method = v; return this; }
        public Builder config(Map<String, Object> v) { config = new LinkedHashMap<>(v); return this; }
        public Builder configHash(String v) { configHash = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder version(String name, String v) { versions.put(name, v); return this; }
        public Builder versions(Map<String, String> v) { versions.putAll(v); return this; }
        public Builder dataHash(String name, String sha256) { dataHashes.put(name, sha256); return this; }
        public Builder dataHashes(Map<String, String> v) { dataHashes.putAll(v); return this; }
        public Builder stream(StreamFacts v) { stream = v; return this; }
        public Builder job(JobRecord v) { jobs.add(v); return this; }
        public Builder skipped(SkippedImage v) { skipped.add(v); return this; }
        public Builder skippedImagesTotal(long v) { skippedTotal = v; return this; }
        public Builder checkpoint(CheckpointRecord v) { checkpoints.add(v); return this; }
        public Builder probeProtocol(ProbeProtocol v) { protocols.put(v.dataset(), v); return this; }
        public Builder probe(ProbeRecord v) { probes.add(v); return this; }
        public Builder probes(List<ProbeRecord> v) { probes.addAll(v); return this; }
        public Builder domainMatrix(DomainMatrix v) { domainMatrix = v; return this; }
        public Builder finalParamsSha256(String v) { finalParamsSha256 = v; return this; }
        public Builder collapse(CollapseMonitor v) { collapse = v; return this; }
        public Builder timeSeries(TimeSeriesFiles v) { timeSeries = v; return this; }
        public Builder note(String v) { notes.add(v); return this; }

        public RunResults build() {
            return new RunResults(SCHEMA_VERSION, runName, createdAt, workdir, method, config, configHash, seed, versions,
                    dataHashes, stream, jobs, skipped, skippedTotal, checkpoints, protocols, probes, domainMatrix,
                    finalParamsSha256, collapse, timeSeries, notes);
        }
    }
}
