package dev.candor.explain.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GroupFairnessTest {
    private static final double TOL = 1e-12;

    // Ten rows, favourable outcome "yes", prediction = score >= 0.5.
    //   sex  y    score  ŷ
    //   M    yes  0.8    yes   TP
    //   M    yes  0.6    yes   TP
    //   M    yes  0.3    no    FN
    //   M    no   0.7    yes   FP
    //   M    no   0.2    no    TN
    //   M    no   0.4    no    TN
    //   F    yes  0.9    yes   TP
    //   F    yes  0.2    no    FN
    //   F    no   0.4    no    TN
    //   F    no   0.1    no    TN
    private static final List<String> SEX = List.of("M", "M", "M", "M", "M", "M", "F", "F", "F", "F");
    private static final List<String> Y = List.of("yes", "yes", "yes", "no", "no", "no", "yes", "yes", "no", "no");
    private static final double[] SCORE = {0.8, 0.6, 0.3, 0.7, 0.2, 0.4, 0.9, 0.2, 0.4, 0.1};

    private static FairnessOptions options(Map<String, String> privileged, int minSize) {
        return new FairnessOptions(privileged, minSize, 2, 200, 0.95, 7L);
    }

    private static FairnessReport small(Map<String, String> privileged) {
        return GroupFairness.evaluate(Outcomes.ofScores(Y, SCORE, 0.5, "yes"),
                List.of(ProtectedAttribute.categorical("sex", SEX)), options(privileged, 1));
    }

    @Test
    void perGroupRatesMatchTheirDefinitionsWorkedByHand() {
        AttributeReport sex = small(Map.of()).attribute("sex");
        GroupReport m = sex.group("M");
        GroupReport f = sex.group("F");
        assertThat(m.size()).isEqualTo(6);
        // base rate = #{Y = fav} / n: M 3/6, F 2/4
        assertThat(m.metric(GroupMetric.BASE_RATE).value()).isCloseTo(0.5, within(TOL));
        assertThat(f.metric(GroupMetric.BASE_RATE).value()).isCloseTo(0.5, within(TOL));
        // selection rate = #{Ŷ = fav} / n: M 3/6, F 1/4
        assertThat(m.metric(GroupMetric.SELECTION_RATE).value()).isCloseTo(0.5, within(TOL));
        assertThat(f.metric(GroupMetric.SELECTION_RATE).value()).isCloseTo(0.25, within(TOL));
        // TPR = TP / (TP + FN): M 2/3, F 1/2; FPR = FP / (FP + TN): M 1/3, F 0/2
        assertThat(m.metric(GroupMetric.TRUE_POSITIVE_RATE).value()).isCloseTo(2.0 / 3, within(TOL));
        assertThat(f.metric(GroupMetric.TRUE_POSITIVE_RATE).value()).isCloseTo(0.5, within(TOL));
        assertThat(m.metric(GroupMetric.FALSE_POSITIVE_RATE).value()).isCloseTo(1.0 / 3, within(TOL));
        assertThat(f.metric(GroupMetric.FALSE_POSITIVE_RATE).value()).isCloseTo(0.0, within(TOL));
        // precision = TP / (TP + FP): M 2/3, F 1/1
        assertThat(m.metric(GroupMetric.PRECISION).value()).isCloseTo(2.0 / 3, within(TOL));
        assertThat(f.metric(GroupMetric.PRECISION).value()).isCloseTo(1.0, within(TOL));
    }

    @Test
    void expectedCalibrationErrorIsTheRowWeightedMeanGapOfTheReliabilityBins() {
        // Two bins [0, 0.5), [0.5, 1].
        // F: bin 0 = {0.2 yes, 0.4 no, 0.1 no}: mean 0.7/3, observed 1/3, gap 0.1; bin 1 = {0.9 yes}: gap 0.1.
        //    ECE = 3/4 · 0.1 + 1/4 · 0.1 = 0.1
        // M: bin 0 = {0.3 yes, 0.2 no, 0.4 no}: mean 0.3, observed 1/3; bin 1 = {0.8 yes, 0.6 yes, 0.7 no}: mean
        //    0.7, observed 2/3. ECE = 1/2 · 1/30 + 1/2 · 1/30 = 1/30
        AttributeReport sex = small(Map.of()).attribute("sex");
        assertThat(sex.group("F").metric(GroupMetric.EXPECTED_CALIBRATION_ERROR).value()).isCloseTo(0.1, within(TOL));
        assertThat(sex.group("M").metric(GroupMetric.EXPECTED_CALIBRATION_ERROR).value())
                .isCloseTo(1.0 / 30, within(TOL));
        ReliabilityBin f0 = sex.group("F").reliability().get(0);
        assertThat(f0.rows()).isEqualTo(3);
        assertThat(f0.meanScore()).isCloseTo(0.7 / 3, within(TOL));
        assertThat(f0.observedRate()).isCloseTo(1.0 / 3, within(TOL));
        assertThat(sex.group("F").reliability().get(1).high()).isEqualTo(1.0);
    }

    @Test
    void gapsFollowTheirNamedFairlearnAndAif360DefinitionsWorkedByHand() {
        AttributeReport sex = small(Map.of()).attribute("sex");
        // No privileged group declared: M has the highest selection rate (0.5 > 0.25), so M is privileged.
        assertThat(sex.privileged()).isEqualTo("M");
        assertThat(sex.privilegedReason()).contains("highest selection rate");
        // Fairlearn demographic_parity_difference = max SR − min SR = 0.5 − 0.25
        assertThat(sex.gap(Gap.DEMOGRAPHIC_PARITY_DIFFERENCE).value()).isCloseTo(0.25, within(TOL));
        // Fairlearn demographic_parity_ratio = min SR / max SR = 0.25 / 0.5
        assertThat(sex.gap(Gap.DEMOGRAPHIC_PARITY_RATIO).value()).isCloseTo(0.5, within(TOL));
        // AIF360 statistical_parity_difference = SR(F) − SR(M) = 0.25 − 0.5
        assertThat(sex.gap(Gap.STATISTICAL_PARITY_DIFFERENCE).value()).isCloseTo(-0.25, within(TOL));
        // AIF360 disparate_impact = SR(F) / SR(M)
        assertThat(sex.gap(Gap.DISPARATE_IMPACT).value()).isCloseTo(0.5, within(TOL));
        // AIF360 equal_opportunity_difference = TPR(F) − TPR(M) = 1/2 − 2/3
        assertThat(sex.gap(Gap.EQUAL_OPPORTUNITY_DIFFERENCE).value()).isCloseTo(-1.0 / 6, within(TOL));
        // Fairlearn equalized_odds_difference = max(TPR spread 2/3 − 1/2, FPR spread 1/3 − 0) = 1/3
        assertThat(sex.gap(Gap.EQUALIZED_ODDS_DIFFERENCE).value()).isCloseTo(1.0 / 3, within(TOL));
        // AIF360 average_odds_difference = ((0 − 1/3) + (1/2 − 2/3)) / 2 = −1/4
        assertThat(sex.gap(Gap.AVERAGE_ODDS_DIFFERENCE).value()).isCloseTo(-0.25, within(TOL));
        assertThat(small(Map.of()).definitions()).hasSize(GroupMetric.values().length + Gap.values().length)
                .containsEntry("disparate_impact", Gap.DISPARATE_IMPACT.definition());
        assertThat(Gap.EQUALIZED_ODDS_DIFFERENCE.definition()).contains("Fairlearn");
        assertThat(Gap.AVERAGE_ODDS_DIFFERENCE.definition()).contains("AIF360");
    }

    @Test
    void aDeclaredPrivilegedGroupFlipsTheSignedGapsAndIsSaidToBeDeclared() {
        AttributeReport sex = small(Map.of("sex", "F")).attribute("sex");
        assertThat(sex.privileged()).isEqualTo("F");
        assertThat(sex.privilegedReason()).isEqualTo("declared");
        // SPD = SR(M) − SR(F) = 0.25; DI = 0.5 / 0.25 = 2; the unsigned spreads do not change
        assertThat(sex.gap(Gap.STATISTICAL_PARITY_DIFFERENCE).value()).isCloseTo(0.25, within(TOL));
        assertThat(sex.gap(Gap.DISPARATE_IMPACT).value()).isCloseTo(2.0, within(TOL));
        assertThat(sex.gap(Gap.DEMOGRAPHIC_PARITY_DIFFERENCE).value()).isCloseTo(0.25, within(TOL));
        assertThatThrownBy(() -> small(Map.of("sex", "X")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'X' is not one of its groups");
    }

    @Test
    void theUnprivilegedSideOfTheSignedGapsPoolsEveryOtherGroup() {
        // AIF360 convention: with privileged = A, "unprivileged" is B and C pooled.
        // A: 2 rows, both selected. B: 2 rows, 1 selected. C: 4 rows, 1 selected. Pooled B+C: 2/6.
        List<String> g = List.of("A", "A", "B", "B", "C", "C", "C", "C");
        List<String> y = List.of("1", "1", "1", "0", "1", "0", "0", "0");
        List<String> p = List.of("1", "1", "1", "0", "1", "0", "0", "0");
        AttributeReport r = GroupFairness.evaluate(Outcomes.ofLabels(y, p, "1"),
                List.of(ProtectedAttribute.categorical("g", g)), options(Map.of("g", "A"), 1)).attribute("g");
        // SPD = 2/6 − 2/2
        assertThat(r.gap(Gap.STATISTICAL_PARITY_DIFFERENCE).value()).isCloseTo(1.0 / 3 - 1, within(TOL));
        // demographic parity ratio over all three groups = min(1, 0.5, 0.25) / max = 0.25
        assertThat(r.gap(Gap.DEMOGRAPHIC_PARITY_RATIO).value()).isCloseTo(0.25, within(TOL));
    }

    @Test
    void undefinedRatesAreNaNWithAReason() {
        // Group F has no favourable true outcomes: its TPR is 0/0, and so are the TPR-based gaps.
        List<String> sex = List.of("M", "M", "F", "F");
        List<String> y = List.of("yes", "no", "no", "no");
        List<String> p = List.of("yes", "no", "no", "no");
        FairnessReport r = GroupFairness.evaluate(Outcomes.ofLabels(y, p, "yes"),
                List.of(ProtectedAttribute.categorical("sex", sex)), options(Map.of(), 1));
        AttributeReport a = r.attribute("sex");
        Estimate tpr = a.group("F").metric(GroupMetric.TRUE_POSITIVE_RATE);
        assertThat(tpr.value()).isNaN();
        assertThat(tpr.note()).contains("no rows whose true outcome is favourable");
        // F is never predicted favourable: precision 0/0
        assertThat(a.group("F").metric(GroupMetric.PRECISION).note()).contains("precision is 0/0");
        // labels only: no calibration
        assertThat(a.group("M").metric(GroupMetric.EXPECTED_CALIBRATION_ERROR).note()).contains("no scores");
        assertThat(a.gap(Gap.EQUALIZED_ODDS_DIFFERENCE).value()).isNaN();
        assertThat(a.gap(Gap.EQUALIZED_ODDS_DIFFERENCE).note()).contains("TPR or FPR is 0/0");
        assertThat(a.gap(Gap.EQUAL_OPPORTUNITY_DIFFERENCE).value()).isNaN();
        assertThat(a.gap(Gap.EQUAL_OPPORTUNITY_DIFFERENCE).note()).isNotBlank();
        // selection rates stay defined: SR(F) − SR(M) = 0 − 1/2
        assertThat(a.gap(Gap.STATISTICAL_PARITY_DIFFERENCE).value()).isCloseTo(-0.5, within(TOL));
    }

    @Test
    void numericAttributesAreBucketedByDeclaredEdgesAndAnEmptyBinIsTooFewToJudge() {
        ProtectedAttribute age = ProtectedAttribute.binned("age", new double[] {0, 24.9, 25, 59, 200},
                new double[] {0, 25, 60, 200, 300});
        assertThat(age.groups()).containsExactly("[0,25)", "[25,60)", "[60,200)", "[200,300]");
        // 25 opens [25,60); 200 opens [200,300]
        assertThat(age.codes()).containsExactly(0, 0, 1, 1, 3);
        assertThat(ProtectedAttribute.binned("a", new double[] {60}, new double[] {0, 25, 60}).codes())
                .containsExactly(1);
        assertThatThrownBy(() -> ProtectedAttribute.binned("age", new double[] {-1}, new double[] {0, 25}))
                .hasMessageContaining("outside the declared bins");

        List<String> y = List.of("1", "0", "1", "0", "1");
        FairnessReport r = GroupFairness.evaluate(Outcomes.ofLabels(y, y, "1"), List.of(age),
                options(Map.of(), 1));
        GroupReport empty = r.attribute("age").group("[60,200)");
        assertThat(empty.size()).isZero();
        assertThat(empty.judged()).isFalse();
        assertThat(empty.metric(GroupMetric.SELECTION_RATE).value()).isNaN();
        assertThat(empty.metric(GroupMetric.SELECTION_RATE).note()).contains("too few to judge");
    }

    @Test
    void intersectionsBelowTheMinimumSizeAreTooFewToJudgeAndLeftOutOfTheGaps() {
        // sex × age band; min group size 3.
        List<String> sex = new ArrayList<>();
        List<String> y = new ArrayList<>();
        double[] ageValues = new double[14];
        // F & young: 4 rows, 1 favourable; F & old: 2 rows (too few); M & young: 4 rows, 4 fav; M & old: 4 rows, 2 fav
        String[][] spec = {{"F", "10", "1"}, {"F", "10", "0"}, {"F", "10", "0"}, {"F", "10", "0"},
            {"F", "70", "1"}, {"F", "70", "1"},
            {"M", "10", "1"}, {"M", "10", "1"}, {"M", "10", "1"}, {"M", "10", "1"},
            {"M", "70", "1"}, {"M", "70", "1"}, {"M", "70", "0"}, {"M", "70", "0"}};
        for (int i = 0; i < spec.length; i++) {
            sex.add(spec[i][0]);
            ageValues[i] = Double.parseDouble(spec[i][1]);
            y.add(spec[i][2]);
        }
        List<ProtectedAttribute> attrs = GroupFairness.withPairwiseIntersections(List.of(
                ProtectedAttribute.categorical("sex", sex),
                ProtectedAttribute.binned("age", ageValues, new double[] {0, 25, 200})));
        FairnessReport r = GroupFairness.evaluate(Outcomes.ofLabels(y, y, "1"), attrs, options(Map.of(), 3));
        AttributeReport both = r.attribute("sex × age");
        GroupReport small = both.group("sex=F & age=[25,200]");
        assertThat(small.judged()).isFalse();
        assertThat(small.note()).contains("too few to judge").contains("2 rows");
        // judged selection rates: 1/4, 4/4, 2/4; F & old (2/2) is left out, so max − min = 1 − 1/4
        assertThat(both.gap(Gap.DEMOGRAPHIC_PARITY_DIFFERENCE).value()).isCloseTo(0.75, within(TOL));
        assertThat(both.privileged()).isEqualTo("sex=M & age=[0,25)");
        assertThat(r.attributes()).hasSize(3);
    }

    @Test
    void bootstrapIntervalsAreSeededAndBracketTheEstimate() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 400;
        List<String> sex = new ArrayList<>();
        List<String> y = new ArrayList<>();
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            boolean f = i % 3 == 0;
            sex.add(f ? "F" : "M");
            s[i] = rnd.nextDouble();
            y.add(rnd.nextDouble() < s[i] ? "1" : "0");
        }
        Outcomes o = Outcomes.ofScores(y, s, 0.5, "1");
        List<ProtectedAttribute> attrs = List.of(ProtectedAttribute.categorical("sex", sex));
        FairnessOptions opt = new FairnessOptions(Map.of(), 30, 10, 300, 0.9, 42L);
        FairnessReport a = GroupFairness.evaluate(o, attrs, opt);
        FairnessReport b = GroupFairness.evaluate(o, attrs, opt);
        assertThat(a).isEqualTo(b);
        FairnessReport c = GroupFairness.evaluate(o, attrs,
                new FairnessOptions(Map.of(), 30, 10, 300, 0.9, 43L));
        assertThat(c.attribute("sex").gap(Gap.DISPARATE_IMPACT).interval())
                .isNotEqualTo(a.attribute("sex").gap(Gap.DISPARATE_IMPACT).interval());
        AttributeReport sx = a.attribute("sex");
        for (GroupReport g : sx.groups()) {
            for (GroupMetric m : GroupMetric.values()) {
                Estimate e = g.metric(m);
                assertThat(e.interval().resamples()).isEqualTo(300);
                assertThat(e.interval().high()).isGreaterThan(e.interval().low());
                // ECE is a sum of absolute gaps, biased upward on resamples: its percentile interval may sit above
                // the full-data value, so only the rates are required to bracket it.
                if (m == GroupMetric.EXPECTED_CALIBRATION_ERROR) continue;
                assertThat(e.interval().low()).isLessThanOrEqualTo(e.value());
                assertThat(e.interval().high()).isGreaterThanOrEqualTo(e.value());
            }
        }
        for (Gap gap : Gap.values()) {
            Estimate e = sx.gap(gap);
            assertThat(e.interval().low()).as(gap.key()).isLessThanOrEqualTo(e.value());
            assertThat(e.interval().high()).as(gap.key()).isGreaterThanOrEqualTo(e.value());
        }
        assertThat(a.intervalMethod()).contains("stratified").contains("seed 42");
    }
}
