package org.contssl.reports.forgetting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.contssl.reports.results.DomainMatrix;
import org.contssl.reports.results.ProbeMethod;
import org.junit.jupiter.api.Test;

class ForgettingTest {
    // A[after i][on j]; diagonal = just learned
    static final double[][] A = {
            {60.0, 10.0, 12.0, 11.0},
            {54.0, 70.0, 15.0, 14.0},
            {57.0, 63.0, 80.0, 20.0},
            {51.0, 70.0, 60.0, 90.0}};

    static DomainMatrix matrix(List<String> order) {
        return new DomainMatrix(order, null, null, A, ProbeMethod.LINEAR);
    }

    @Test
    void entriesFollowTheReferenceTableShapeAndOurFormulas() {
        List<ForgettingEntry> es = Forgetting.entries(matrix(List.of("0", "1", "2", "3")));
        // D0 after D1, D2, D3; D1 after D2, D3; D2 after D3
        assertThat(es).extracting(e -> e.domain() + "/" + e.after()).containsExactly("0/1", "0/2", "0/3", "1/2", "1/3", "2/3");
        ForgettingEntry d0d1 = es.get(0);
        assertThat(d0d1.learned()).isEqualTo(60.0);
        assertThat(d0d1.later()).isEqualTo(54.0);
        assertThat(d0d1.absolutePoints()).isCloseTo(6.0, within(1e-12));        // 60 - 54
        assertThat(d0d1.relativePercent()).isCloseTo(10.0, within(1e-12));      // 100 * 6 / 60
        assertThat(es.get(1).absolutePoints()).isCloseTo(3.0, within(1e-12));   // 60 - 57
        assertThat(es.get(2).absolutePoints()).isCloseTo(9.0, within(1e-12));   // 60 - 51
        assertThat(es.get(2).relativePercent()).isCloseTo(15.0, within(1e-12));
        assertThat(es.get(3).absolutePoints()).isCloseTo(7.0, within(1e-12));   // 70 - 63
        assertThat(es.get(3).relativePercent()).isCloseTo(10.0, within(1e-12));
        // D1 after D3 recovered fully: 0 forgetting; D2 after D3: 80 -> 60
        assertThat(es.get(4).absolutePoints()).isEqualTo(0.0);
        assertThat(es.get(5).absolutePoints()).isCloseTo(20.0, within(1e-12));
        assertThat(es.get(5).relativePercent()).isCloseTo(25.0, within(1e-12));
        assertThat(Forgetting.ofDomain(matrix(List.of("0", "1", "2", "3")), 1)).hasSize(2);
    }

    @Test
    void summariesUseTheLastRow() {
        DomainMatrix m = matrix(List.of("0", "1", "2", "3"));
        // final forgetting: D0 60-51=9, D1 70-70=0, D2 80-60=20 -> mean 29/3
        assertThat(Forgetting.meanFinalAbsolute(m)).isCloseTo(29.0 / 3, within(1e-12));
        // final average: (51+70+60+90)/4
        assertThat(Forgetting.finalAverageAccuracy(m)).isCloseTo(67.75, within(1e-12));
    }

    @Test
    void improvementIsNegativeAndZeroDiagonalHasNoRelativeValue() {
        double[][] a = {{0.0, 5.0}, {4.0, 50.0}};
        List<ForgettingEntry> es = Forgetting.entries(new DomainMatrix(List.of("0", "1"), null, null, a, null));
        assertThat(es).hasSize(1);
        assertThat(es.get(0).absolutePoints()).isEqualTo(-4.0);
        assertThat(es.get(0).relativePercent()).isNull();
    }

    @Test
    void positionsAreStreamOrderAndLabelsNameTheIds() {
        DomainMatrix m = matrix(List.of("0", "3", "1", "2"));
        assertThat(m.label(0)).isEqualTo("D0");
        assertThat(m.label(1)).isEqualTo("D1 (id 3)");
        assertThat(Forgetting.entries(m).get(0).afterLabel()).isEqualTo("D1 (id 3)");
    }

    @Test
    void rejectsNonSquareMatrices() {
        assertThatThrownBy(() -> new DomainMatrix(List.of("0", "1"), null, null, new double[][] {{1, 2}}, null))
                .hasMessageContaining("2 rows").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> new DomainMatrix(List.of("0", "1"), null, null, new double[][] {{1, 2}, {3}}, null))
                .hasMessageContaining("row 1");
    }
}
