package org.contssl.reports.forgetting;

import java.util.ArrayList;
import java.util.List;
import org.contssl.reports.results.DomainMatrix;

/**
 * Forgetting from the accuracy matrix A (see {@link DomainMatrix} for the indexing: A[i][j] = accuracy on the domain at
 * stream position j with the checkpoint taken after the domain at stream position i).
 *
 * <p>The reference's README reports "Forgetting % D0 | D1 | D2" with 3, 2 and 1 values but never defines it in code
 * (docs/reference-system.md §9.4); ours, for domain k after a later domain j > k:
 * <ul>
 *   <li>absolute, in percentage points: {@code F_k(j) = A[k][k] - A[j][k]}</li>
 *   <li>relative, in percent of what was learned: {@code 100 * F_k(j) / A[k][k]}</li>
 * </ul>
 * Positive values mean accuracy was lost, negative values mean the later domains helped (backward transfer).
 */
public final class Forgetting {
    public static final String DEFINITION =
            "A[i][j] = top-1 (%) of the linear probe on the held-out set of the domain at stream position j, using the "
          + "checkpoint saved at the end of the domain at stream position i. For domain k after a later domain j > k: "
          + "absolute forgetting F_k(j) = A[k][k] − A[j][k] (percentage points); relative forgetting = 100 · F_k(j) / A[k][k] (%). "
          + "Positive = accuracy lost, negative = the later domains improved domain k.";

    private Forgetting() {}

    /** Every F_k(j) for k < j, ordered by k then j (D0 after D1, D2, D3; D1 after D2, D3; D2 after D3). */
    public static List<ForgettingEntry> entries(DomainMatrix m) {
        int n = m.size();
        List<ForgettingEntry> out = new ArrayList<>();
        for (int k = 0; k < n - 1; k++) {
            double learned = m.at(k, k);
            for (int j = k + 1; j < n; j++) {
                double later = m.at(j, k);
                double abs = learned - later;
                Double rel = learned == 0 ? null : 100.0 * abs / learned;
                out.add(new ForgettingEntry(k, m.label(k), j, m.label(j), learned, later, abs, rel));
            }
        }
        return out;
    }

    /** The entries of domain k (its row in the reference's table). */
    public static List<ForgettingEntry> ofDomain(DomainMatrix m, int k) {
        return entries(m).stream().filter(e -> e.domain() == k).toList();
    }

    /** Mean over k < n-1 of F_k(n-1), the forgetting left at the end of the stream (points); NaN for one domain. */
    public static double meanFinalAbsolute(DomainMatrix m) {
        int n = m.size();
        if (n < 2) return Double.NaN;
        double s = 0;
        for (int k = 0; k < n - 1; k++) s += m.at(k, k) - m.at(n - 1, k);
        return s / (n - 1);
    }

    /** Mean accuracy over all domains with the final checkpoint: mean_j A[n-1][j]. */
    public static double finalAverageAccuracy(DomainMatrix m) {
        int n = m.size();
        double s = 0;
        for (int j = 0; j < n; j++) s += m.at(n - 1, j);
        return s / n;
    }
}
