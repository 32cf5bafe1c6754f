package org.contssl.lists;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Thins a list to every k-th record into a new list, as the reference's {@code data.subsample}: record {@code i} of
 * the result is record {@code i*k} of the source, and the result has {@code floor(N/k)} records (the reference's
 * {@code num_files // subsample}).
 *
 * <p>The result is a list of its own, so the position every consumer sees — buffer entries, statistics,
 * checkpoints — is the post-subsample index {@code i}; the reference's defect of reporting {@code i*k} to the buffer
 * (MinRed silently degrading to FIFO; defect D6 in {@code docs/reference-system.md}) cannot occur.
 * {@link #sourceIndex} gives the original position for provenance only.
 */
public final class Subsample {

    private Subsample() {
    }

    /** Writes {@code dst}, every {@code k}-th record of {@code src} (labels and provenance carried over). */
    public static ListMetadata apply(Path src, int k, Path dst) {
        if (k < 1) {
            throw new ListFormatException(ListFormatException.Problem.BAD_OPTION, src, -1,
                    "data.subsample " + k + " must be at least 1", "use 1 (keep everything) or a larger k");
        }
        try (MemmapList in = MemmapList.open(src)) {
            long n = in.size() / k;
            ListMetadata m = in.metadata();
            StreamDiagnostics.QuarterCounts counts = in.hasLabels() && m.numClasses() != null
                    ? new StreamDiagnostics.QuarterCounts(n, m.numClasses()) : null;
            // One sequential pass in blocks, not strided reads through the mapping: with k * width below a page,
            // those would touch (and keep resident) every page of the source.
            try (MemmapListWriter w = MemmapListWriter.create(dst, in.recordWidth(), in.baseDir(), in.hasLabels());
                 ListScan scan = ListScan.every(in, k)) {
                for (long i = 0; i < n && scan.next(); i++) {
                    String rec = scan.record();
                    if (in.hasLabels()) {
                        int label = scan.label();
                        w.add(rec, label);
                        if (counts != null) {
                            counts.add(i, label);
                        }
                    } else {
                        w.add(rec);
                    }
                }
                List<ListMetadata.DomainSpan> spans = null;
                if (m.domains() != null) {
                    spans = new ArrayList<>();
                    for (ListMetadata.DomainSpan d : m.domains()) {
                        spans.add(new ListMetadata.DomainSpan(d.name(), firstKeptAtOrAfter(d.start(), k, n),
                                firstKeptAtOrAfter(d.end(), k, n), d.description()));
                    }
                }
                StreamDiagnostics diag = counts != null ? counts.result() : null;
                return w.commit(ListMetadata.builder()
                        .role(m.role())
                        .source(m.source())
                        .kind(m.kind())
                        .seed(m.seed())
                        .clipLength(m.clipLength())
                        .domainOrder(m.domainOrder())
                        .domains(spans)
                        .numClasses(m.numClasses())
                        .classNames(m.classNames())
                        .pathRewrite(in.rewrite().id())
                        .subsample(new ListMetadata.SubsampleInfo(k, in.dataFile().toString(), in.size(),
                                m.sha256()))
                        .diagnostics(diag)
                        .notes(m.notes()));
            }
        }
    }

    /** The source position of record {@code i} of a list thinned by {@code k}. */
    public static long sourceIndex(long i, int k) {
        return i * k;
    }

    /** Index in the thinned list of the first kept record at source position {@code >= pos}. */
    static long firstKeptAtOrAfter(long pos, int k, long n) {
        return Math.min(n, (pos + k - 1) / k);
    }
}
