package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.contssl.lists.ListMetadata.DomainSpan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One planner run: the request and its fingerprint, the lazily loaded datasets, the probe selection, and what the
 * plan reports besides the lists (notes, files exported and rendered, time taken). Shared by the stream-kind
 * planners so each of them only decides what goes into its stream.
 */
final class PlanContext {

    private static final Logger LOG = LoggerFactory.getLogger(PlanContext.class);

    private final StreamRequest req;
    private final String fingerprint;
    private final long t0 = System.nanoTime();
    private final List<String> notes = new ArrayList<>();
    private final SourcePools pools;
    private final ProbeSelection probes;
    private long exported;
    private long rendered;

    PlanContext(StreamRequest req, String fingerprint) {
        this.req = req;
        this.fingerprint = fingerprint;
        this.pools = new SourcePools(req);
        this.probes = new ProbeSelection(this);
    }

    StreamRequest req() {
        return req;
    }

    SourcePools pools() {
        return pools;
    }

    ProbeSelection probes() {
        return probes;
    }

    /** Where the stream list goes. */
    Path streamPath() {
        return req.listsDir().resolve(StreamPlanner.STREAM_LIST);
    }

    /** Records a remark (a size capped, a probe left out); it goes into the plan and the sidecars written after it. */
    void note(String s) {
        notes.add(s);
        LOG.warn("lists: {}", s);
    }

    /** The notes so far, in the order they were made. */
    List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    void countExported(long files) {
        exported += files;
    }

    void countRendered(long files) {
        rendered += files;
    }

    /** The plan of this run, with the kind and seed of the request and the notes and counters gathered so far. */
    StreamPlan plan(Path streamList, long length, String source, Integer clip, String order,
                    Map<String, ProbeSet> probeSets, List<ProbeSet> domainProbes, List<DomainSpan> spans) {
        return new StreamPlan(streamList, length, source, req.kind().id(), req.seed(), clip, order, probeSets,
                domainProbes, spans, List.copyOf(notes), exported, rendered, (System.nanoTime() - t0) / 1e9,
                fingerprint);
    }
}
