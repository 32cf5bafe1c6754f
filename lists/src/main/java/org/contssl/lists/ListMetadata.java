package org.contssl.lists;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The JSON sidecar {@code <list>.json} written next to every list this module produces. Structural fields
 * (record width, count, files, checksums) are filled by {@link MemmapListWriter}; provenance fields (source, kind,
 * seed, domains, diagnostics) come from the caller. Relative {@code dataFile}, {@code labelsFile} and
 * {@code baseDir} are resolved against the sidecar's own directory, so a workdir can be moved as a whole.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"format", "role", "count", "recordWidth", "dtype", "dataFile", "baseDir", "sha256", "labelsFile",
        "labelsSha256", "numClasses", "classNames", "pathRewrite", "source", "kind", "seed", "clipLength",
        "domainOrder", "domains", "subsample", "diagnostics", "notes"})
public record ListMetadata(
        String format,
        String role,
        Long count,
        Integer recordWidth,
        String dtype,
        String dataFile,
        String baseDir,
        String sha256,
        String labelsFile,
        String labelsSha256,
        Integer numClasses,
        List<String> classNames,
        String pathRewrite,
        String source,
        String kind,
        Long seed,
        Integer clipLength,
        String domainOrder,
        List<DomainSpan> domains,
        SubsampleInfo subsample,
        StreamDiagnostics diagnostics,
        List<String> notes) {

    public static final String FORMAT = "contssl-memmap-list/1";

    /** One domain's slice {@code [start, end)} of the stream, in stream positions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DomainSpan(String name, long start, long end, String description) {
    }

    /** How a list was thinned from another: record {@code i} here is record {@code i*k} of the source. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubsampleInfo(int k, String sourceList, long sourceCount, String sourceSha256) {
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.format = format;
        b.role = role;
        b.count = count;
        b.recordWidth = recordWidth;
        b.dtype = dtype;
        b.dataFile = dataFile;
        b.baseDir = baseDir;
        b.sha256 = sha256;
        b.labelsFile = labelsFile;
        b.labelsSha256 = labelsSha256;
        b.numClasses = numClasses;
        b.classNames = classNames;
        b.pathRewrite = pathRewrite;
        b.source = source;
        b.kind = kind;
        b.seed = seed;
        b.clipLength = clipLength;
        b.domainOrder = domainOrder;
        b.domains = domains;
        b.subsample = subsample;
        b.diagnostics = diagnostics;
        b.notes = notes;
        return b;
    }

    /** Fluent builder; only the provenance setters are meant for callers, the writer fills the rest. */
    public static final class Builder {
        private String format = FORMAT;
        private String role;
        private Long count;
        private Integer recordWidth;
        private String dtype;
        private String dataFile;
        private String baseDir;
        private String sha256;
        private String labelsFile;
        private String labelsSha256;
        private Integer numClasses;
        private List<String> classNames;
        private String pathRewrite;
        private String source;
        private String kind;
        private Long seed;
        private Integer clipLength;
        private String domainOrder;
        private List<DomainSpan> domains;
        private SubsampleInfo subsample;
        private StreamDiagnostics diagnostics;
        private List<String> notes;

        public Builder role(String v) { role = v; return this; }
        public Builder count(Long v) { count = v; return this; }
        public Builder recordWidth(Integer v) { recordWidth = v; return this; }
        public Builder dtype(String v) { dtype = v; return this; }
        public Builder dataFile(String v) { dataFile = v; return this; }
        public Builder baseDir(String v) { baseDir = v; return this; }
        public Builder sha256(String v) { sha256 = v; return this; }
        public Builder labelsFile(String v) { labelsFile = v; return this; }
        public Builder labelsSha256(String v) { labelsSha256 = v; return this; }
        public Builder numClasses(Integer v) { numClasses = v; return this; }
        public Builder classNames(List<String> v) { classNames = v == null ? null : List.copyOf(v); return this; }
        public Builder pathRewrite(String v) { pathRewrite = v; return this; }
        public Builder source(String v) { source = v; return this; }
        public Builder kind(String v) { kind = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder clipLength(Integer v) { clipLength = v; return this; }
        public Builder domainOrder(String v) { domainOrder = v; return this; }
        public Builder domains(List<DomainSpan> v) { domains = v == null ? null : List.copyOf(v); return this; }
        public Builder subsample(SubsampleInfo v) { subsample = v; return this; }
        public Builder diagnostics(StreamDiagnostics v) { diagnostics = v; return this; }
        public Builder notes(List<String> v) { notes = v == null || v.isEmpty() ? null : List.copyOf(v); return this; }

        public ListMetadata build() {
            return new ListMetadata(format, role, count, recordWidth, dtype, dataFile, baseDir, sha256, labelsFile,
                    labelsSha256, numClasses, classNames, pathRewrite, source, kind, seed, clipLength, domainOrder,
                    domains, subsample, diagnostics, notes);
        }
    }
}
