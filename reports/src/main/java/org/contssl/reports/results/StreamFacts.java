package org.contssl.reports.results;

import java.util.List;
import java.util.Map;

/**
 * What the pretraining stream was.
 *
 * @param kind            iid, pseudo-video, domains, ...
 * @param sourceImages    images in the source list before subsampling
 * @param length          images in the stream after subsampling and dropping the tail
 * @param droppedTail     images dropped because they did not fill a last batch
 * @param subsample       every n-th record taken
 * @param batchSize       images per incoming chunk / minibatch
 * @param stepsPerPhase   SGD steps per phase in stream order (e.g. fill, stream, drain), ordered
 * @param domainOrder     for a domains stream, the domain ids in stream order; empty otherwise
 */
public record StreamFacts(String kind, long sourceImages, long length, long droppedTail, int subsample, int batchSize,
                          Map<String, Long> stepsPerPhase, List<String> domainOrder) {
    public StreamFacts {
        stepsPerPhase = stepsPerPhase == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stepsPerPhase));
        domainOrder = domainOrder == null ? List.of() : List.copyOf(domainOrder);
    }

    public long totalSteps() {
        return stepsPerPhase.values().stream().mapToLong(Long::longValue).sum();
    }
}
