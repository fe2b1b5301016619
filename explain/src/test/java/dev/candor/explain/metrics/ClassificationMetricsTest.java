package dev.candor.explain.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    private static final List<String> BIN = List.of("neg", "pos");
    private static final double TOL = 1e-12;

    /** Binary probabilities {1 - p, p} for the positive-class scores p. */
    private static double[][] binary(double... pos) {
        double[][] p = new double[pos.length][];
        for (int i = 0; i < pos.length; i++) p[i] = new double[] {1 - pos[i], pos[i]};
        return p;
    }

    // y:      1    1    1    0    0    0    0    0
    // p(pos): 0.9  0.8  0.4  0.4  0.3  0.8  0.1  0.6   (a tie across classes at 0.8 and at 0.4)
    private static final int[] Y = {1, 1, 1, 0, 0, 0, 0, 0};
    private static final double[] S = {0.9, 0.8, 0.4, 0.4, 0.3, 0.8, 0.1, 0.6};

    @Test
    void binaryMetricsMatchTheirTextbookDefinitionsWorkedByHand() {
        ClassificationReport r = ClassificationMetrics.evaluate(Y, binary(S), BIN, "pos");

        // Predicted = pos where p(pos) > 0.5: rows 0, 1, 5, 7. TP = {0, 1}, FP = {5, 7}, FN = {2}, TN = {3, 4, 6}.
        // accuracy = (TP + TN) / n = (2 + 3) / 8
        assertThat(r.accuracy()).isCloseTo(5.0 / 8, within(TOL));
        // precision(pos) = TP / (TP + FP) = 2/4; recall(pos) = TP / (TP + FN) = 2/3; F1 = 2PR / (P + R) = 4/7
        ClassMetrics pos = r.perClass().get(1);
        assertThat(pos.precision()).isCloseTo(0.5, within(TOL));
        assertThat(pos.recall()).isCloseTo(2.0 / 3, within(TOL));
        assertThat(pos.f1()).isCloseTo(4.0 / 7, within(TOL));
        assertThat(pos.support()).isEqualTo(3);
        assertThat(pos.predicted()).isEqualTo(4);
        // precision(neg) = TN / (TN + FN) = 3/4; recall(neg) = TN / (TN + FP) = 3/5; F1 = 2 · .75 · .6 / 1.35 = 2/3
        ClassMetrics neg = r.perClass().get(0);
        assertThat(neg.precision()).isCloseTo(0.75, within(TOL));
        assertThat(neg.recall()).isCloseTo(0.6, within(TOL));
        assertThat(neg.f1()).isCloseTo(2.0 / 3, within(TOL));
        assertThat(neg.support()).isEqualTo(5);
        // macro = unweighted mean over classes; balanced accuracy = mean recall
        assertThat(r.precisionMacro()).isCloseTo((0.5 + 0.75) / 2, within(TOL));
        assertThat(r.recallMacro()).isCloseTo((2.0 / 3 + 0.6) / 2, within(TOL));
        assertThat(r.balancedAccuracy()).isCloseTo((2.0 / 3 + 0.6) / 2, within(TOL));
        assertThat(r.f1Macro()).isCloseTo((4.0 / 7 + 2.0 / 3) / 2, within(TOL));
        // ROC AUC by pairs: 0.9 beats all 5 negatives (5); 0.8 beats 4 and ties one (4.5); 0.4 beats 2 and ties
        // one (2.5): 12 of 15 pairs.
        assertThat(r.rocAuc()).isCloseTo(12.0 / 15, within(TOL));
        // log loss = -(1/n) Σ ln p(true class)
        double ll = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.6) + Math.log(0.7) + Math.log(0.2)
                + Math.log(0.9) + Math.log(0.4)) / 8;
        assertThat(r.logLoss()).isCloseTo(ll, within(1e-9));
        // binary Brier = (1/n) Σ (p(pos) - [y = pos])² = (.01 + .04 + .36 + .16 + .09 + .64 + .01 + .36) / 8
        assertThat(r.brier()).isCloseTo(1.67 / 8, within(TOL));
        assertThat(r.confusion().toArray()).isDeepEqualTo(new long[][] {{3, 2}, {1, 2}});
        assertThat(r.notes()).isEmpty();
        assertThat(r.rows()).isEqualTo(8);
        assertThat(r.value(Metric.ROC_AUC)).isEqualTo(r.rocAuc());
    }

    @Test
    void rocAucEqualsTheMannWhitneyRankSumWithMidRanks() {
        // Ranks of the 8 scores, ties sharing their mean rank:
        // 0.1→1, 0.3→2, 0.4,0.4→3.5, 0.6→5, 0.8,0.8→6.5, 0.9→8. Positives (0.9, 0.8, 0.4) rank 8 + 6.5 + 3.5 = 18.
        // U = R₊ − n₊(n₊+1)/2 = 18 − 6 = 12; AUC = U / (n₊ n₋) = 12 / 15 = 0.8.
        assertThat(rankSumAuc(Y, S, 1)).isCloseTo(0.8, within(TOL));
        assertThat(ClassificationMetrics.evaluate(Y, binary(S), BIN, "pos").rocAuc()).isCloseTo(0.8, within(TOL));

        // With "neg" as the positive class, the scores are p(neg) = 1 − p(pos) and the positives are the other
        // rows: the same pairs, ordered the same way, so AUC is 0.8 again (AUC is symmetric in two classes).
        assertThat(ClassificationMetrics.evaluate(Y, binary(S), BIN, "neg").rocAuc()).isCloseTo(0.8, within(TOL));

        // All scores tied: every pair is a tie, AUC = 1/2.
        double[] flat = new double[8];
        Arrays.fill(flat, 0.5);
        assertThat(ClassificationMetrics.evaluate(Y, binary(flat), BIN, "pos").rocAuc()).isCloseTo(0.5, within(TOL));

        // Random scores with many ties, against the rank formula computed independently.
        SplittableRandom random = new SplittableRandom(3);
        int[] y = new int[500];
        double[] s = new double[500];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(2);
            s[i] = random.nextInt(11) / 10.0;
        }
        assertThat(ClassificationMetrics.evaluate(y, binary(s), BIN, "pos").rocAuc())
                .isCloseTo(rankSumAuc(y, s, 1), within(1e-12));
    }

    /** AUC = (R₊ − n₊(n₊+1)/2) / (n₊ n₋), ranks 1-based, tied values sharing their mean rank. */
    private static double rankSumAuc(int[] y, double[] s, int positive) {
        int n = y.length;
        double rankSum = 0;
        long nPos = 0;
        for (int i = 0; i < n; i++) {
            if (y[i] != positive) continue;
            nPos++;
            int below = 0, equal = 0;
            for (int j = 0; j < n; j++) {
                if (s[j] < s[i]) below++;
                else if (s[j] == s[i]) equal++;
            }
            rankSum += below + (equal + 1) / 2.0;   // the mean of ranks below+1 .. below+equal
        }
        long nNeg = n - nPos;
        return (rankSum - nPos * (nPos + 1) / 2.0) / (nPos * nNeg);
    }

    @Test
    void multiClassMetricsMatchHandComputation() {
        List<String> classes = List.of("a", "b", "c");
        int[] y = {0, 0, 1, 1, 2, 2};
        double[][] p = {
                {0.7, 0.2, 0.1},   // → a, right
                {0.3, 0.4, 0.3},   // → b, wrong
                {0.2, 0.5, 0.3},   // → b, right
                {0.1, 0.3, 0.6},   // → c, wrong
                {0.2, 0.2, 0.6},   // → c, right
                {0.4, 0.3, 0.3},   // → a, wrong
        };
        ClassificationReport r = ClassificationMetrics.evaluate(y, p, classes, "c");
        // Confusion [actual][predicted]: a→{a:1,b:1}, b→{b:1,c:1}, c→{a:1,c:1}
        assertThat(r.confusion().toArray()).isDeepEqualTo(new long[][] {{1, 1, 0}, {0, 1, 1}, {1, 0, 1}});
        assertThat(r.accuracy()).isCloseTo(3.0 / 6, within(TOL));
        // Every class: TP 1, predicted 2, support 2 → P = R = F1 = 1/2
        for (ClassMetrics m : r.perClass()) {
            assertThat(m.precision()).isCloseTo(0.5, within(TOL));
            assertThat(m.recall()).isCloseTo(0.5, within(TOL));
            assertThat(m.f1()).isCloseTo(0.5, within(TOL));
        }
        assertThat(r.f1Macro()).isCloseTo(0.5, within(TOL));
        // One-vs-rest AUCs by pair counting:
        //  a: positives {.7, .3} vs negatives {.2, .1, .2, .4}: .7 beats 4; .3 beats 3 → 7/8
        //  b: positives {.5, .3} vs {.2, .4, .2, .3}: .5 beats 4; .3 beats 2, ties 1 → 6.5/8
        //  c: positives {.6, .3} vs {.1, .3, .3, .6}: .6 beats 3, ties 1 → 3.5; .3 beats 1, ties 2 → 2 → 5.5/8
        double expected = (7.0 / 8 + 6.5 / 8 + 5.5 / 8) / 3;
        assertThat(r.rocAuc()).isCloseTo(expected, within(TOL));
        double ovr = 0;
        for (int c = 0; c < 3; c++) {
            double[] s = new double[y.length];
            for (int i = 0; i < y.length; i++) s[i] = p[i][c];
            ovr += rankSumAuc(y, s, c) / 3;
        }
        assertThat(r.rocAuc()).isCloseTo(ovr, within(TOL));
        // Multi-class Brier = (1/n) Σ_i Σ_c (p_ic − [y_i = c])²
        double brier = 0;
        for (int i = 0; i < y.length; i++) {
            for (int c = 0; c < 3; c++) brier += Math.pow(p[i][c] - (y[i] == c ? 1 : 0), 2);
        }
        assertThat(r.brier()).isCloseTo(brier / 6, within(TOL));
        // Row 0 by hand: (.7−1)² + .2² + .1² = .09 + .04 + .01 = .14
        assertThat(ClassificationMetrics.evaluate(new int[] {0, 1}, new double[][] {{.7, .2, .1}, {.7, .2, .1}},
                classes, "a").brier()).isCloseTo((0.14 + (0.49 + 0.64 + 0.01)) / 2, within(TOL));
        // log loss = −(1/n) Σ ln p(true): .7, .3, .5, .3, .6, .3
        double ll = -(Math.log(.7) + Math.log(.3) + Math.log(.5) + Math.log(.3) + Math.log(.6) + Math.log(.3)) / 6;
        assertThat(r.logLoss()).isCloseTo(ll, within(TOL));
    }

    @Test
    void aClassNeverPredictedHasPrecisionZeroAndANote() {
        List<String> classes = List.of("a", "b", "c");
        int[] y = {0, 1, 2, 2};
        double[][] p = {{.8, .1, .1}, {.1, .8, .1}, {.6, .2, .2}, {.1, .7, .2}};
        ClassificationReport r = ClassificationMetrics.evaluate(y, p, classes, "c");
        ClassMetrics c = r.perClass().get(2);
        assertThat(c.predicted()).isZero();
        assertThat(c.precision()).isZero();
        assertThat(c.recall()).isZero();
        assertThat(c.f1()).isZero();
        assertThat(r.notes()).anyMatch(n -> n.contains("'c' was never predicted"));
        // Predicted a, b, a, b: precision(a) = 1/2, precision(b) = 1/2, precision(c) = 0 → macro (1/2 + 1/2 + 0) / 3
        assertThat(r.precisionMacro()).isCloseTo(1.0 / 3, within(TOL));
    }

    @Test
    void aClassAbsentEverywhereIsLeftOutOfTheMacroMeansAndTheAuc() {
        List<String> classes = List.of("a", "b", "c");
        int[] y = {0, 0, 1, 1};
        double[][] p = {{.8, .1, .1}, {.6, .3, .1}, {.3, .6, .1}, {.2, .7, .1}};
        ClassificationReport r = ClassificationMetrics.evaluate(y, p, classes, "a");
        assertThat(r.accuracy()).isEqualTo(1.0);
        assertThat(r.precisionMacro()).isEqualTo(1.0);
        assertThat(r.f1Macro()).isEqualTo(1.0);
        assertThat(r.balancedAccuracy()).isEqualTo(1.0);
        assertThat(r.rocAuc()).isCloseTo(1.0, within(TOL));
        assertThat(r.notes()).anyMatch(n -> n.contains("'c' occurs neither"))
                .anyMatch(n -> n.contains("mean over 2 of 3 classes"));
    }

    @Test
    void aPerfectClassifierScoresOneOnEveryHeadlineMetric() {
        int[] y = {0, 1, 1, 0, 1};
        double[][] p = {{1, 0}, {0, 1}, {0, 1}, {1, 0}, {0, 1}};
        ClassificationReport r = ClassificationMetrics.evaluate(y, p, BIN, "pos");
        for (Metric m : List.of(Metric.ACCURACY, Metric.BALANCED_ACCURACY, Metric.PRECISION_MACRO,
                Metric.RECALL_MACRO, Metric.F1_MACRO, Metric.ROC_AUC)) {
            assertThat(r.value(m)).as(m.key()).isEqualTo(1.0);
        }
        assertThat(r.brier()).isZero();
        // Clipped at 1 − 1e-15: −ln(1 − 1e-15) ≈ 1e-15, not 0 and not −∞.
        assertThat(r.logLoss()).isCloseTo(1e-15, within(1e-16));
        // The opposite: certain and always wrong. Clipped at 1e-15: −ln(1e-15) = 34.5..., not +∞.
        double[][] wrong = {{0, 1}, {1, 0}, {1, 0}, {0, 1}, {1, 0}};
        assertThat(ClassificationMetrics.evaluate(y, wrong, BIN, "pos").logLoss())
                .isCloseTo(-Math.log(1e-15), within(1e-9));
    }

    @Test
    void rocAucIsNaNWithAReasonWhenTheLabelsHoldOneClassOnly() {
        int[] y = {0, 0, 0};
        ClassificationReport r = ClassificationMetrics.evaluate(y, binary(0.2, 0.7, 0.1), BIN, "pos");
        assertThat(r.rocAuc()).isNaN();
        assertThat(r.notes()).anyMatch(n -> n.startsWith("roc_auc is undefined (NaN)") && n.contains("'pos'"));
        assertThat(r.accuracy()).isCloseTo(2.0 / 3, within(TOL));
        // Balanced accuracy counts only the class present: recall(neg) = 2/3.
        assertThat(r.balancedAccuracy()).isCloseTo(2.0 / 3, within(TOL));

        BootstrapIntervals ci = ClassificationMetrics.bootstrap(y, binary(0.2, 0.7, 0.1), BIN, "pos", 50, 0.9,
                new SplittableRandom(1));
        assertThat(ci.interval(Metric.ROC_AUC).resamples()).isZero();
        assertThat(ci.interval(Metric.ROC_AUC).low()).isNaN();
        assertThat(ci.interval(Metric.ACCURACY).resamples()).isEqualTo(50);
    }

    @Test
    void bootstrapMatchesANaiveResamplingOfRowsWithTheSameDraws() {
        SplittableRandom data = new SplittableRandom(11);
        int n = 60;
        int[] y = new int[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = data.nextInt(2);
            s[i] = Math.min(1, Math.max(0, 0.3 * y[i] + 0.7 * data.nextDouble()));
        }
        double[][] p = binary(s);
        int b = 200;
        BootstrapIntervals ci = ClassificationMetrics.bootstrap(y, p, BIN, "pos", b, 0.9, new SplittableRandom(42));

        // Independent: materialize each resample as rows and evaluate it from scratch.
        SplittableRandom seed = new SplittableRandom(42);
        double[][] values = new double[Metric.values().length][b];
        int[] defined = new int[Metric.values().length];
        for (int r = 0; r < b; r++) {
            SplittableRandom draw = seed.split();
            int[] yy = new int[n];
            double[][] pp = new double[n][];
            for (int i = 0; i < n; i++) {
                int j = draw.nextInt(n);
                yy[i] = y[j];
                pp[i] = p[j];
            }
            ClassificationReport rep = ClassificationMetrics.evaluate(yy, pp, BIN, "pos");
            for (Metric m : Metric.values()) {
                if (!Double.isNaN(rep.value(m))) values[m.ordinal()][defined[m.ordinal()]++] = rep.value(m);
            }
        }
        for (Metric m : Metric.values()) {
            double[] v = Arrays.copyOf(values[m.ordinal()], defined[m.ordinal()]);
            Arrays.sort(v);
            Interval i = ci.interval(m);
            assertThat(i.resamples()).as(m.key()).isEqualTo(v.length);
            assertThat(i.low()).as(m.key()).isCloseTo(ClassificationMetrics.quantile(v, 0.05), within(1e-12));
            assertThat(i.high()).as(m.key()).isCloseTo(ClassificationMetrics.quantile(v, 0.95), within(1e-12));
        }
    }

    @Test
    void bootstrapIsDeterministicFromTheSeedAndBracketsTheEstimate() {
        SplittableRandom data = new SplittableRandom(5);
        int n = 400;
        int[] y = new int[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = data.nextInt(2);
            s[i] = 0.3 * y[i] + 0.7 * data.nextDouble();
        }
        double[][] p = binary(s);
        BootstrapIntervals a = ClassificationMetrics.bootstrap(y, p, BIN, "pos", 300, 0.95, new SplittableRandom(9));
        BootstrapIntervals b = ClassificationMetrics.bootstrap(y, p, BIN, "pos", 300, 0.95, new SplittableRandom(9));
        BootstrapIntervals c = ClassificationMetrics.bootstrap(y, p, BIN, "pos", 300, 0.95, new SplittableRandom(10));
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);

        ClassificationReport r = ClassificationMetrics.evaluate(y, p, BIN, "pos");
        for (Metric m : Metric.values()) {
            Interval i = a.interval(m);
            assertThat(i.low()).as(m.key()).isLessThanOrEqualTo(r.value(m));
            assertThat(i.high()).as(m.key()).isGreaterThanOrEqualTo(r.value(m));
            // The standard error of an accuracy-like proportion at n = 400 is at most 0.025, so a 95% interval is
            // well under 0.2 wide; a grossly wrong resampling (e.g. n = 1) would be far wider.
            if (m != Metric.LOG_LOSS) assertThat(i.high() - i.low()).as(m.key()).isBetween(1e-6, 0.2);
        }
    }

    @Test
    void quantileInterpolatesLinearlyBetweenOrderStatistics() {
        double[] v = {1, 2, 3, 4};
        assertThat(ClassificationMetrics.quantile(v, 0.25)).isEqualTo(1.75);   // numpy.quantile([1,2,3,4], .25)
        assertThat(ClassificationMetrics.quantile(v, 0)).isEqualTo(1);
        assertThat(ClassificationMetrics.quantile(v, 1)).isEqualTo(4);
        assertThat(ClassificationMetrics.quantile(new double[] {7}, 0.975)).isEqualTo(7);
    }

    @Test
    void leastFrequentClassPicksTheRarestAndTheFirstOnTies() {
        assertThat(ClassificationMetrics.leastFrequentClass(new int[] {0, 0, 1, 2, 2}, 3)).isEqualTo(1);
        assertThat(ClassificationMetrics.leastFrequentClass(new int[] {0, 1}, 2)).isEqualTo(0);
        assertThat(ClassificationMetrics.leastFrequentClass(new int[] {0, 0}, 2)).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedWithTheRowAndTheExpectation() {
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(new int[] {0, 1}, binary(0.3), BIN, "pos"))
                .hasMessageContaining("2 true labels but 1 rows");
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(new int[] {0, 2}, binary(0.3, 0.4), BIN, "pos"))
                .hasMessageContaining("row 1: true class index 2 is outside [0, 2)");
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(new int[] {0}, new double[][] {{Double.NaN, 1}}, BIN, "pos"))
                .hasMessageContaining("row 0: the probability of class 'neg' is NaN");
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(new int[] {0}, binary(0.3), BIN, "maybe"))
                .hasMessageContaining("positive class 'maybe' is not one of the classes [neg, pos]");
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(new int[0], new double[0][], BIN, "pos"))
                .hasMessageContaining("no rows");
        assertThatThrownBy(() -> ClassificationMetrics.bootstrap(Y, binary(S), BIN, "pos", 10, 1.0, new SplittableRandom(1)))
                .hasMessageContaining("confidence must be in (0, 1), got 1.0");
    }
}
