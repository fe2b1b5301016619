package dev.candor.explain.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.candor.explain.fairness.GroupThresholds.Criterion;
import dev.candor.explain.fairness.GroupThresholds.GroupThreshold;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupThresholdsTest {
    private static final double TOL = 1e-12;

    //   group A: 0.9 fav, 0.8 fav, 0.7 unfav, 0.6 unfav
    //   group B: 0.4 fav, 0.3 fav, 0.2 unfav, 0.1 unfav
    // At the common threshold 0.5, A is all selected and B none: SR 1 vs 0, TPR 1 vs 0; 4 of 8 rows right.
    private static final ProtectedAttribute G = ProtectedAttribute.categorical("g",
            List.of("A", "A", "A", "A", "B", "B", "B", "B"));
    private static final Outcomes O = Outcomes.ofScores(List.of("1", "1", "0", "0", "1", "1", "0", "0"),
            new double[] {0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1}, 0.5, "1");

    @Test
    void demographicParityThresholdsWorkedByHand() {
        // Equal selection rates are reachable at 0, 1/4, 1/2, 3/4, 1; rate 1/2 (A: >= 0.8, B: >= 0.3) gets every
        // row right, so it wins: gap 1 → 0, accuracy 1/2 → 1 (a cost of −1/2, i.e. a gain).
        GroupThresholds.Result r = GroupThresholds.fit(O, G, Criterion.DEMOGRAPHIC_PARITY, 0.5, 0.0);
        assertThat(r.groups()).extracting(GroupThreshold::threshold).containsExactly(0.8, 0.3);
        assertThat(r.groups()).extracting(GroupThreshold::rateBefore).containsExactly(1.0, 0.0);
        assertThat(r.groups()).extracting(GroupThreshold::rateAfter).containsExactly(0.5, 0.5);
        assertThat(r.gapBefore()).isCloseTo(1.0, within(TOL));
        assertThat(r.gapAfter()).isCloseTo(0.0, within(TOL));
        assertThat(r.accuracyBefore()).isCloseTo(0.5, within(TOL));
        assertThat(r.accuracyAfter()).isCloseTo(1.0, within(TOL));
        assertThat(r.accuracyCost()).isCloseTo(-0.5, within(TOL));
        assertThat(r.definition()).contains("selection rate");
    }

    @Test
    void equalOpportunityEqualizesTruePositiveRatesAndReportsTheAccuracyCost() {
        // Now A's favourable row 0.8 is scored below an unfavourable one (0.85), so TPR 1 in A costs a false
        // positive. Equal-TPR candidates: TPR 1/2 (A >= 0.9: 3 of 4 right; B >= 0.4: 3 of 4 right) = 6/8, or
        // TPR 1 (A >= 0.8: 3 right, 0.85 wrongly selected; B >= 0.3: 4 right) = 7/8. TPR 1 wins.
        Outcomes o = Outcomes.ofScores(List.of("1", "1", "0", "0", "1", "1", "0", "0"),
                new double[] {0.9, 0.8, 0.85, 0.6, 0.4, 0.3, 0.2, 0.1}, 0.5, "1");
        GroupThresholds.Result r = GroupThresholds.fit(o, G, Criterion.EQUAL_OPPORTUNITY, 0.5, 0.0);
        assertThat(r.groups()).extracting(GroupThreshold::threshold).containsExactly(0.8, 0.3);
        assertThat(r.groups()).extracting(GroupThreshold::rateAfter).containsExactly(1.0, 1.0);
        assertThat(r.accuracyAfter()).isCloseTo(7.0 / 8, within(TOL));
        // before (common threshold 0.5): A all selected (2 right), B none (2 right); TPR 1 vs 0
        assertThat(r.accuracyBefore()).isCloseTo(0.5, within(TOL));
        assertThat(r.gapBefore()).isCloseTo(1.0, within(TOL));
        assertThat(r.criterion()).isEqualTo(Criterion.EQUAL_OPPORTUNITY);
        // a looser tolerance can only keep or raise the accuracy
        GroupThresholds.Result loose = GroupThresholds.fit(o, G, Criterion.EQUAL_OPPORTUNITY, 0.5, 1.0);
        assertThat(loose.accuracyAfter()).isGreaterThanOrEqualTo(r.accuracyAfter());
    }

    @Test
    void aGroupWithoutFavourableRowsKeepsTheCommonThresholdUnderEqualOpportunity() {
        ProtectedAttribute g = ProtectedAttribute.categorical("g", List.of("A", "A", "B", "B"));
        Outcomes o = Outcomes.ofScores(List.of("1", "0", "0", "0"), new double[] {0.9, 0.2, 0.7, 0.1}, 0.5, "1");
        GroupThresholds.Result r = GroupThresholds.fit(o, g, Criterion.EQUAL_OPPORTUNITY, 0.5, 0.0);
        assertThat(r.groups().get(1).threshold()).isEqualTo(0.7); // the lowest score >= 0.5, as at 0.5
        assertThat(r.groups().get(1).rateAfter()).isNaN();
        assertThat(r.notes()).singleElement().asString().contains("group 'B' has no rows whose true outcome");
        assertThatThrownBy(() -> GroupThresholds.fit(Outcomes.ofLabels(List.of("1"), List.of("1"), "1"),
                ProtectedAttribute.categorical("g", List.of("A")), Criterion.DEMOGRAPHIC_PARITY, 0.5, 0))
                .hasMessageContaining("need scores");
    }
}
