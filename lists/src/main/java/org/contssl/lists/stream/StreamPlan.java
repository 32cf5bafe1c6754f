package org.contssl.lists.stream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.contssl.lists.ListMetadata.DomainSpan;

/**
 * What the {@code lists} job produced: the stream list every later step reads (open it with
 * {@link org.contssl.lists.MemmapList#open(Path)}), the probe sets by name, and for {@code domains} the per-domain
 * probes and the domain boundaries in stream positions. Also written to {@code <lists>/plan.json}.
 *
 * @param probes       probe sets by name, in a stable order (e.g. "fashion-mnist", "mnist"; "D0".."D3")
 * @param domainProbes per-domain probes in domain-id order (D0..D3), empty unless kind = domains
 * @param domains      the domains' stream slices in stream order, empty unless kind = domains
 * @param notes        human-readable remarks (sizes capped, probes skipped), also in the stream's sidecar
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamPlan(
        Path streamList,
        long streamLength,
        String source,
        String kind,
        long seed,
        Integer clipLength,
        String domainOrder,
        Map<String, ProbeSet> probes,
        List<ProbeSet> domainProbes,
        List<DomainSpan> domains,
        List<String> notes,
        long imagesExported,
        long framesRendered,
        double seconds,
        String requestFingerprint) {

    /** Domain start positions (stream indices), in stream order. */
    public long[] domainBoundaries() {
        return domains.stream().mapToLong(DomainSpan::start).toArray();
    }

    /** Whether every file the plan names still exists (used to reuse a completed plan on restart). */
    public boolean filesExist() {
        if (!Files.exists(streamList)) {
            return false;
        }
        for (ProbeSet p : probes.values()) {
            if (!Files.exists(p.trainList()) || !Files.exists(p.testList())) {
                return false;
            }
        }
        for (ProbeSet p : domainProbes) {
            if (!Files.exists(p.trainList()) || !Files.exists(p.testList())) {
                return false;
            }
        }
        return true;
    }
}
