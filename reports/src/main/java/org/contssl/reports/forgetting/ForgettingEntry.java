package org.contssl.reports.forgetting;

/**
 * Forgetting of the domain at stream position {@code domain} after training through the later domain at position
 * {@code after} (> domain).
 *
 * @param domain          k, stream position of the forgotten domain
 * @param domainLabel     its label ("D0", or "D0 (id 3)")
 * @param after           j > k, stream position of the domain whose end-checkpoint is evaluated
 * @param afterLabel      its label
 * @param learned         A[k][k], accuracy on domain k right after learning it (%)
 * @param later           A[j][k], accuracy on domain k after domain j (%)
 * @param absolutePoints  F = A[k][k] - A[j][k] in percentage points (positive = forgot, negative = improved)
 * @param relativePercent 100 * F / A[k][k], null when A[k][k] = 0
 */
public record ForgettingEntry(int domain, String domainLabel, int after, String afterLabel, double learned, double later,
                              double absolutePoints, Double relativePercent) {
}
