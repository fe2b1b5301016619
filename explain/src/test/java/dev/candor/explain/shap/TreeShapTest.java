package dev.candor.explain.shap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TreeShapTest {
    private static final int FEATURES = 5;
    private static final List<String> NAMES = List.of("f0", "f1", "f2", "f3", "f4");

    /** A random tree in pre-order, with consistent covers, thresholds on the quarter grid, mixed rules. */
    private static DecisionTree randomTree(SplittableRandom r, int maxDepth) {
        List<DecisionTree.Node> nodes = new ArrayList<>();
        grow(r, nodes, 0, maxDepth);
        return new DecisionTree(nodes);
    }

    private static double grow(SplittableRandom r, List<DecisionTree.Node> nodes, int depth, int maxDepth) {
        int at = nodes.size();
        if (depth == maxDepth || (depth > 0 && r.nextDouble() < 0.25)) {
            double cover = 1 + r.nextInt(20);
            nodes.add(new DecisionTree.Leaf(new double[] {r.nextDouble(-1, 1), r.nextDouble(-1, 1)}, cover));
            return cover;
        }
        nodes.add(null);
        int trueChild = nodes.size();
        double c1 = grow(r, nodes, depth + 1, maxDepth);
        int falseChild = nodes.size();
        double c2 = grow(r, nodes, depth + 1, maxDepth);
        float threshold = (float) (Math.rint(r.nextDouble(-2, 2) * 4) / 4);
        DecisionTree.Rule rule = r.nextBoolean() ? DecisionTree.Rule.LESS_THAN : DecisionTree.Rule.LESS_OR_EQUAL;
        nodes.set(at, new DecisionTree.Split(r.nextInt(FEATURES), threshold, rule, trueChild, falseChild,
                r.nextBoolean(), c1 + c2));
        return c1 + c2;
    }

    /** The path-dependent value function, straight from its definition: follow x on S, average by cover elsewhere. */
    private static double[] value(DecisionTree tree, int node, float[] x, int coalition) {
        DecisionTree.Node n = tree.nodes().get(node);
        if (n instanceof DecisionTree.Leaf leaf) return leaf.values();
        DecisionTree.Split s = (DecisionTree.Split) n;
        if ((coalition >> s.feature() & 1) == 1) {
            float v = x[s.feature()];
            boolean t = Float.isNaN(v) ? s.missingGoesTrue()
                    : s.rule() == DecisionTree.Rule.LESS_THAN ? v < s.threshold() : v <= s.threshold();
            return value(tree, t ? s.trueChild() : s.falseChild(), x, coalition);
        }
        double ct = tree.nodes().get(s.trueChild()).cover();
        double cf = tree.nodes().get(s.falseChild()).cover();
        double[] a = value(tree, s.trueChild(), x, coalition);
        double[] b = value(tree, s.falseChild(), x, coalition);
        double[] out = new double[a.length];
        for (int k = 0; k < a.length; k++) out[k] = (ct * a[k] + cf * b[k]) / (ct + cf);
        return out;
    }

    private static double[][] bruteForce(List<DecisionTree> trees, double[] baseScores, float[] x) {
        double[][] v = new double[1 << FEATURES][];
        for (int s = 0; s < (1 << FEATURES); s++) {
            v[s] = baseScores.clone();
            for (DecisionTree t : trees) {
                double[] tv = value(t, 0, x, s);
                for (int k = 0; k < tv.length; k++) v[s][k] += tv[k];
            }
        }
        return BruteForceShapley.bySubsets(v, FEATURES);
    }

    @Test
    void equalsBruteForceOnRandomEnsembles() {
        SplittableRandom r = new SplittableRandom(2020);
        for (int trial = 0; trial < 40; trial++) {
            List<DecisionTree> trees = new ArrayList<>();
            int count = 1 + r.nextInt(3);
            for (int t = 0; t < count; t++) trees.add(randomTree(r, 1 + r.nextInt(6)));
            double[] base = {r.nextDouble(-1, 1), 0};
            TreeShap shap = new TreeShap(trees, base, List.of("a", "b"), NAMES);
            for (int row = 0; row < 5; row++) {
                float[] x = new float[FEATURES];
                for (int j = 0; j < FEATURES; j++) {
                    x[j] = r.nextInt(10) == 0 ? Float.NaN : (float) (Math.rint(r.nextDouble(-2.5, 2.5) * 4) / 4);
                }
                ShapValues sv = shap.explain(x);
                double[][] expected = bruteForce(trees, base, x);
                for (int k = 0; k < 2; k++) {
                    for (int j = 0; j < FEATURES; j++) {
                        assertThat(sv.value(k, j)).as("trial %d row %d output %d feature %d", trial, row, k, j)
                                .isCloseTo(expected[k][j], Offset.offset(1e-10));
                    }
                }
                // Efficiency: the values add up to the score minus the expected score, to rounding.
                assertThat(sv.efficiencyGap()).isLessThan(1e-12);
                double[] score = shap.score(x);
                double[] direct = base.clone();
                for (DecisionTree t : trees) {
                    double[] leaf = ((DecisionTree.Leaf) t.nodes().get(t.leafOf(x))).values();
                    for (int k = 0; k < 2; k++) direct[k] += leaf[k];
                }
                assertThat(score).containsExactly(direct, Offset.offset(1e-15));
                assertThat(sv.prediction()).containsExactly(score, Offset.offset(0.0));
            }
        }
    }

    @Test
    void theComparisonRuleDecidesTiesAndCoversOnlyMatterAsRatios() {
        // x0 == threshold: LESS_THAN sends it false, LESS_OR_EQUAL true.
        List<DecisionTree.Node> lt = List.of(
                new DecisionTree.Split(0, 1f, DecisionTree.Rule.LESS_THAN, 1, 2, false, 4),
                new DecisionTree.Leaf(new double[] {1}, 1), new DecisionTree.Leaf(new double[] {5}, 3));
        List<DecisionTree.Node> le = List.of(
                new DecisionTree.Split(0, 1f, DecisionTree.Rule.LESS_OR_EQUAL, 1, 2, false, 4),
                new DecisionTree.Leaf(new double[] {1}, 1), new DecisionTree.Leaf(new double[] {5}, 3));
        float[] x = {1f, 0, 0, 0, 0};
        TreeShap a = new TreeShap(List.of(new DecisionTree(lt)), new double[1], List.of("y"), NAMES);
        TreeShap b = new TreeShap(List.of(new DecisionTree(le)), new double[1], List.of("y"), NAMES);
        assertThat(a.expectedValue()[0]).isEqualTo(4.0);
        assertThat(a.explain(x).value(0, 0)).isEqualTo(1.0);   // 5 − 4
        assertThat(b.explain(x).value(0, 0)).isEqualTo(-3.0);  // 1 − 4
        // hit rates (covers scaled, parent not the children's sum) give the same values
        List<DecisionTree.Node> scaled = List.of(
                new DecisionTree.Split(0, 1f, DecisionTree.Rule.LESS_THAN, 1, 2, false, 1.0),
                new DecisionTree.Leaf(new double[] {1}, 0.025), new DecisionTree.Leaf(new double[] {5}, 0.075));
        TreeShap c = new TreeShap(List.of(new DecisionTree(scaled)), new double[1], List.of("y"), NAMES);
        assertThat(c.explain(x).value(0, 0)).isCloseTo(1.0, Offset.offset(1e-15));
    }

    @Test
    void malformedTreesAreRefusedWithThePlace() {
        assertThatThrownBy(() -> new DecisionTree(List.of(
                new DecisionTree.Split(0, 1f, DecisionTree.Rule.LESS_THAN, 0, 2, false, 4),
                new DecisionTree.Leaf(new double[] {1}, 1), new DecisionTree.Leaf(new double[] {5}, 3))))
                .hasMessageContaining("node 0 points to child 0");
        assertThatThrownBy(() -> new DecisionTree(List.of(
                new DecisionTree.Split(0, 1f, DecisionTree.Rule.LESS_THAN, 1, 2, false, 4),
                new DecisionTree.Leaf(new double[] {1}, 0), new DecisionTree.Leaf(new double[] {5}, 0))))
                .hasMessageContaining("the children of node 0 both have cover 0");
        DecisionTree ok = new DecisionTree(List.of(
                new DecisionTree.Split(7, 1f, DecisionTree.Rule.LESS_THAN, 1, 2, false, 4),
                new DecisionTree.Leaf(new double[] {1}, 1), new DecisionTree.Leaf(new double[] {5}, 3)));
        assertThatThrownBy(() -> new TreeShap(List.of(ok), new double[1], List.of("y"), NAMES))
                .hasMessageContaining("tree 0 splits on column 7 but 5 feature names were given");
    }
}
