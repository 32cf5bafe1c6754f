package org.contssl.steps.probe;

import java.util.List;
import org.contssl.reports.results.ProbeProtocol;
import org.contssl.reports.results.ProbeRecord;

/** What one probe partition produced, persisted as {@code probes/<encoder>@<dataset>.json} when it completes. */
public record ProbeResult(ProbeTarget target, List<ProbeRecord> records, ProbeProtocol protocol, double seconds) {
}
