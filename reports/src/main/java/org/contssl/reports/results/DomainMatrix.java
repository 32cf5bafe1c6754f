package org.contssl.reports.results;

import java.util.List;

/**
 * Continual-learning accuracy matrix of a domains stream.
 *
 * <p><b>Indexing</b> (used everywhere in code and report): positions are positions in the STREAM ORDER, not domain ids.
 * {@code accuracy[i][j]} = top-1 (%) of the probe on the held-out set of the domain at stream position {@code j},
 * using the checkpoint saved at the end of the domain at stream position {@code i}. Row i = "after domain i",
 * column j = "on domain j". {@code domainOrder.get(p)} names the domain at position p (e.g. order 0312 gives
 * ["0","3","1","2"]), so with order 0123 positions and ids coincide.
 *
 * @param domainOrder       domain id/name at each stream position
 * @param checkpoints       checkpoint taken at the end of each position's domain
 * @param boundaryProgress  stream fraction of each of those checkpoints
 * @param accuracy          A[i][j] as defined above, n x n
 * @param method            probe used for A (linear in the reference's table)
 */
public record DomainMatrix(List<String> domainOrder, List<String> checkpoints, List<Double> boundaryProgress,
                           double[][] accuracy, ProbeMethod method) {
    public DomainMatrix {
        if (domainOrder == null || domainOrder.isEmpty()) {
            throw new IllegalArgumentException("domain matrix: domainOrder is empty; give the domain ids in stream order");
        }
        int n = domainOrder.size();
        if (accuracy == null || accuracy.length != n) {
            throw new IllegalArgumentException("domain matrix: accuracy must have " + n + " rows (one per domain in domainOrder), got " + (accuracy == null ? 0 : accuracy.length));
        }
        for (int i = 0; i < n; i++) {
            if (accuracy[i] == null || accuracy[i].length != n) {
                throw new IllegalArgumentException("domain matrix: row " + i + " must have " + n + " columns");
            }
        }
        if (checkpoints != null && !checkpoints.isEmpty() && checkpoints.size() != n) {
            throw new IllegalArgumentException("domain matrix: " + checkpoints.size() + " checkpoints for " + n + " domains; give one per domain boundary");
        }
        domainOrder = List.copyOf(domainOrder);
        checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
        boundaryProgress = boundaryProgress == null ? List.of() : List.copyOf(boundaryProgress);
        method = method == null ? ProbeMethod.LINEAR : method;
    }

    public int size() { return domainOrder.size(); }

    /** A[i][j]: after the domain at position i, on the domain at position j. */
    public double at(int afterPosition, int onPosition) { return accuracy[afterPosition][onPosition]; }

    /** "D0 (id 3)" style label of a stream position; a named domain (data.domains) shows as "D1 (shoes)". */
    public String label(int position) {
        String id = domainOrder.get(position);
        boolean plain = id.equals(Integer.toString(position)) || id.equals("D" + position);
        return plain ? "D" + position : "D" + position + " (" + (id.chars().allMatch(Character::isDigit) ? "id " : "")
                + id + ")";
    }
}
