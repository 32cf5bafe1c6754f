package org.contssl.reports.reproduce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.reports.forgetting.Forgetting;
import org.contssl.reports.results.DatasetRole;
import org.contssl.reports.results.DomainMatrix;
import org.contssl.reports.results.EncoderKind;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.RunResults;
import org.contssl.reports.series.BufferComposition;
import org.contssl.reports.series.BufferMechanismCsv;
import org.contssl.reports.series.MetricsRow;

/**
 * What the {@code reproduce} report takes from one completed cell: final probe results and floors per dataset, the
 * buffer's mechanism metrics (distinct clips and groups held, over time; mean nearest-neighbour similarity; MinRed's
 * oldest-first evictions) and, for a domains stream, the forgetting. Absent parts are null.
 *
 * @param finding         finding id
 * @param setting         setting name within the finding
 * @param seed            the cell's seed
 * @param linear          final linear top-1 per dataset
 * @param knn             final kNN top-1 per dataset
 * @param floorRandom     random-init floor, linear top-1 per dataset
 * @param floorRaw        raw-pixel floor, linear top-1 per dataset
 * @param inDistribution  the in-distribution dataset the verdict reads (first one)
 * @param clipsOverTime   distinct clips held after the inserts at 25/50/75/100 % of the stream's inserts
 * @param groupsEnd       distinct composition groups (classes or domains) held at the end
 * @param groupsBy        what the groups are ("class" or "domain")
 * @param meanNnSim       last logged mean nearest-neighbour cosine in the buffer (MinRed only)
 * @param evicted         evictions over the run
 * @param oldestFirst     of which MinRed made oldest-first
 * @param matrix          the domain accuracy matrix (domains stream)
 * @param forgettingAbs   mean absolute forgetting at the end of the stream (points)
 * @param forgettingRel   mean relative forgetting at the end (% of what was learned)
 */
public record CellMeasures(String finding, String setting, long seed, Map<String, Double> linear,
                           Map<String, Double> knn, Map<String, Double> floorRandom, Map<String, Double> floorRaw,
                           String inDistribution, long[] clipsOverTime, Integer groupsEnd, String groupsBy,
                           Double meanNnSim, long evicted, long oldestFirst, DomainMatrix matrix,
                           Double forgettingAbs, Double forgettingRel) {

    public static CellMeasures of(String finding, String setting, long seed, RunResults r,
                                  List<BufferMechanismCsv.Row> mechanism, List<MetricsRow> metrics,
                                  BufferComposition composition) {
        Map<String, Double> linear = new LinkedHashMap<>();
        Map<String, Double> knn = new LinkedHashMap<>();
        Map<String, Double> random = new LinkedHashMap<>();
        Map<String, Double> raw = new LinkedHashMap<>();
        String inDist = null;
        for (String d : r.datasets()) {
            if (inDist == null && r.roleOf(d) == DatasetRole.IN_DISTRIBUTION) {
                inDist = d;
            }
            r.finalTrained(d, ProbeMethod.LINEAR).ifPresent(p -> linear.put(d, p.top1()));
            r.finalTrained(d, ProbeMethod.KNN).ifPresent(p -> knn.put(d, p.top1()));
            r.floor(EncoderKind.RANDOM_INIT, d, ProbeMethod.LINEAR).ifPresent(p -> random.put(d, p.top1()));
            r.floor(EncoderKind.RAW_PIXELS, d, ProbeMethod.LINEAR).ifPresent(p -> raw.put(d, p.top1()));
        }
        long[] overTime = null;
        long evicted = 0;
        long oldest = 0;
        if (mechanism != null && !mechanism.isEmpty()) {
            overTime = new long[4];
            for (int q = 1; q <= 4; q++) {
                int i = Math.max(0, (int) Math.ceil(mechanism.size() * q / 4.0) - 1);
                overTime[q - 1] = mechanism.get(i).distinctClips();
            }
            for (BufferMechanismCsv.Row row : mechanism) {
                evicted += row.evicted();
                oldest += row.oldestFirst();
            }
        }
        Integer groups = null;
        if (composition != null && composition.counts().length > 0) {
            long[] last = composition.counts()[composition.counts().length - 1];
            int g = 0;
            for (long c : last) {
                g += c > 0 ? 1 : 0;
            }
            groups = g;
        }
        Double nn = null;
        if (metrics != null) {
            for (MetricsRow m : metrics) {
                if (!Double.isNaN(m.bufferMeanNeighborSim())) {
                    nn = m.bufferMeanNeighborSim();
                }
            }
        }
        DomainMatrix matrix = r.domainMatrix();
        Double fAbs = null;
        Double fRel = null;
        if (matrix != null && matrix.size() > 1) {
            fAbs = Forgetting.meanFinalAbsolute(matrix);
            int n = matrix.size();
            double s = 0;
            for (int k = 0; k < n - 1; k++) {
                s += matrix.at(k, k) == 0 ? 0 : 100.0 * (matrix.at(k, k) - matrix.at(n - 1, k)) / matrix.at(k, k);
            }
            fRel = s / (n - 1);
        }
        String by = r.timeSeries() == null ? null : r.timeSeries().compositionBy();
        return new CellMeasures(finding, setting, seed, linear, knn, random, raw, inDist, overTime, groups, by, nn,
                evicted, oldest, matrix, fAbs, fRel);
    }

    /** Share of evictions MinRed made oldest-first; NaN without evictions. */
    public double oldestFirstShare() {
        return evicted == 0 ? Double.NaN : (double) oldestFirst / evicted;
    }

    /** The value a finding's verdict reads: final linear top-1 in distribution, or the mean final forgetting. */
    public Double measure(String measure) {
        if ("forgetting".equals(measure)) {
            return forgettingAbs;
        }
        return inDistribution == null ? null : linear.get(inDistribution);
    }
}
