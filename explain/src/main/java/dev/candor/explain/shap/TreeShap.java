package dev.candor.explain.shap;

import java.util.ArrayList;
import java.util.List;

/**
 * Path-dependent TreeSHAP (Lundberg et al. 2020, "From local explanations to global understanding with explainable
 * AI for trees", Nature Machine Intelligence 2, Algorithm 2): the exact Shapley values of a tree ensemble's raw score
 * under the value function {@code v(S)} = the tree's output when the features in {@code S} follow the row and every
 * other split sends the row down both children in proportion to their training cover. The cost is
 * {@code O(trees · leaves · depth²)} per row, with no model calls and no background set; the values sum to
 * {@code score(x) − E[score]} exactly up to rounding, where {@code E} is the cover-weighted mean leaf value.
 *
 * <p>The values explain the summed leaf scores plus the base scores ({@link ShapValues.OutputSpace#RAW_SCORE}),
 * before any softmax or logistic post-transform: margins for boosted trees, averaged class distributions for a random
 * forest whose leaves hold distributions divided by the member count. Players are the input columns.
 *
 * <p>Immutable and thread-safe.
 */
public final class TreeShap {
    private final List<Compiled> trees;
    private final List<String> outputNames;
    private final List<String> featureNames;
    private final double[] baseScores;
    private final double[] expected;
    private final int maxDepth;

    /**
     * @param trees        the ensemble's trees; the raw score is {@code baseScores + Σ_trees leaf values}
     * @param baseScores   a constant per output added to the sum (ONNX {@code base_values}; zeros if none)
     * @param outputNames  one name per output
     * @param featureNames one name per input column
     */
    public TreeShap(List<DecisionTree> trees, double[] baseScores, List<String> outputNames,
                    List<String> featureNames) {
        this.outputNames = List.copyOf(outputNames);
        this.featureNames = List.copyOf(featureNames);
        if (trees.isEmpty()) throw new IllegalArgumentException("a tree ensemble needs at least one tree");
        if (baseScores.length != outputNames.size()) {
            throw new IllegalArgumentException(outputNames.size() + " outputs need as many base scores, got "
                    + baseScores.length);
        }
        this.baseScores = baseScores.clone();
        this.expected = baseScores.clone();
        List<Compiled> compiled = new ArrayList<>(trees.size());
        int depth = 0;
        for (int t = 0; t < trees.size(); t++) {
            DecisionTree tree = trees.get(t);
            if (tree.outputs() != outputNames.size()) {
                throw new IllegalArgumentException("tree " + t + " has leaves of " + tree.outputs() + " values but "
                        + outputNames.size() + " outputs were named");
            }
            if (tree.maxFeature() >= featureNames.size()) {
                throw new IllegalArgumentException("tree " + t + " splits on column " + tree.maxFeature() + " but "
                        + featureNames.size() + " feature names were given");
            }
            Compiled c = new Compiled(tree);
            compiled.add(c);
            double[] e = c.expectation(0);
            for (int k = 0; k < e.length; k++) expected[k] += e[k];
            depth = Math.max(depth, tree.depth());
        }
        this.trees = List.copyOf(compiled);
        this.maxDepth = depth;
    }

    /** The expected raw score, per output: base scores plus each tree's cover-weighted mean leaf value. */
    public double[] expectedValue() {
        return expected.clone();
    }

    /** The raw score of a row: base scores plus the leaf values the row reaches. */
    public double[] score(float[] x) {
        double[] s = baseScores.clone();
        for (Compiled c : trees) {
            int leaf = c.leafOf(x);
            for (int k = 0; k < s.length; k++) s[k] += c.leafValues[leaf][k];
        }
        return s;
    }

    /** Explains one row. */
    public ShapValues explain(float[] x) {
        if (x.length != featureNames.size()) {
            throw new IllegalArgumentException("the row has " + x.length + " values, the model takes "
                    + featureNames.size());
        }
        int outputs = outputNames.size();
        double[][] phi = new double[outputs][featureNames.size()];
        Path path = new Path(maxDepth + 2);
        for (Compiled c : trees) c.recurse(0, x, phi, path, 0, 0, 1, 1, -1);
        return new ShapValues(outputNames, featureNames, phi, expected, score(x),
                ShapValues.Method.TREE_PATH_DEPENDENT, ShapValues.OutputSpace.RAW_SCORE, 0);
    }

    /**
     * The "unique path" of Algorithm 2: for each feature met on the way down, the fraction of zero paths (cover
     * share) and one paths (does the row follow this way), and the permutation weights. Each recursion level works
     * on its own copy, stacked in one array of {@code (d+1)(d+2)/2} slots.
     */
    private static final class Path {
        final int[] feature;
        final double[] zero;
        final double[] one;
        final double[] pweight;

        Path(int maxd) {
            int size = maxd * (maxd + 1) / 2 + maxd;
            feature = new int[size];
            zero = new double[size];
            one = new double[size];
            pweight = new double[size];
        }

        void copy(int from, int to, int n) {
            System.arraycopy(feature, from, feature, to, n);
            System.arraycopy(zero, from, zero, to, n);
            System.arraycopy(one, from, one, to, n);
            System.arraycopy(pweight, from, pweight, to, n);
        }

        void extend(int o, int depth, double zeroFraction, double oneFraction, int featureIndex) {
            feature[o + depth] = featureIndex;
            zero[o + depth] = zeroFraction;
            one[o + depth] = oneFraction;
            pweight[o + depth] = depth == 0 ? 1 : 0;
            for (int i = depth - 1; i >= 0; i--) {
                pweight[o + i + 1] += oneFraction * pweight[o + i] * (i + 1) / (depth + 1);
                pweight[o + i] = zeroFraction * pweight[o + i] * (depth - i) / (depth + 1);
            }
        }

        void unwind(int o, int depth, int index) {
            double oneFraction = one[o + index];
            double zeroFraction = zero[o + index];
            double next = pweight[o + depth];
            for (int i = depth - 1; i >= 0; i--) {
                if (oneFraction != 0) {
                    double tmp = pweight[o + i];
                    pweight[o + i] = next * (depth + 1) / ((i + 1) * oneFraction);
                    next = tmp - pweight[o + i] * zeroFraction * (depth - i) / (depth + 1);
                } else {
                    pweight[o + i] = pweight[o + i] * (depth + 1) / (zeroFraction * (depth - i));
                }
            }
            for (int i = index; i < depth; i++) {
                feature[o + i] = feature[o + i + 1];
                zero[o + i] = zero[o + i + 1];
                one[o + i] = one[o + i + 1];
            }
        }

        double unwoundSum(int o, int depth, int index) {
            double oneFraction = one[o + index];
            double zeroFraction = zero[o + index];
            double next = pweight[o + depth];
            double total = 0;
            for (int i = depth - 1; i >= 0; i--) {
                if (oneFraction != 0) {
                    double tmp = next * (depth + 1) / ((i + 1) * oneFraction);
                    total += tmp;
                    next = pweight[o + i] - tmp * zeroFraction * (depth - i) / (depth + 1);
                } else if (zeroFraction != 0) {
                    total += pweight[o + i] / zeroFraction / ((double) (depth - i) / (depth + 1));
                }
            }
            return total;
        }
    }

    /** A tree as flat arrays, for the recursion. */
    private static final class Compiled {
        final int[] feature;
        final float[] threshold;
        final boolean[] lessThan;
        final boolean[] missingTrue;
        final int[] trueChild;
        final int[] falseChild;
        final double[] cover;
        final double[][] leafValues;

        Compiled(DecisionTree tree) {
            int n = tree.nodes().size();
            feature = new int[n];
            threshold = new float[n];
            lessThan = new boolean[n];
            missingTrue = new boolean[n];
            trueChild = new int[n];
            falseChild = new int[n];
            cover = new double[n];
            leafValues = new double[n][];
            for (int i = 0; i < n; i++) {
                DecisionTree.Node node = tree.nodes().get(i);
                cover[i] = node.cover();
                if (node instanceof DecisionTree.Split s) {
                    feature[i] = s.feature();
                    threshold[i] = s.threshold();
                    lessThan[i] = s.rule() == DecisionTree.Rule.LESS_THAN;
                    missingTrue[i] = s.missingGoesTrue();
                    trueChild[i] = s.trueChild();
                    falseChild[i] = s.falseChild();
                } else {
                    feature[i] = -1;
                    leafValues[i] = ((DecisionTree.Leaf) node).values();
                }
            }
        }

        boolean goesTrue(int node, float x) {
            if (Float.isNaN(x)) return missingTrue[node];
            return lessThan[node] ? x < threshold[node] : x <= threshold[node];
        }

        int leafOf(float[] x) {
            int i = 0;
            while (feature[i] >= 0) i = goesTrue(i, x[feature[i]]) ? trueChild[i] : falseChild[i];
            return i;
        }

        double[] expectation(int node) {
            if (feature[node] < 0) return leafValues[node].clone();
            double ct = cover[trueChild[node]];
            double cf = cover[falseChild[node]];
            double[] a = expectation(trueChild[node]);
            double[] b = expectation(falseChild[node]);
            for (int k = 0; k < a.length; k++) a[k] = (ct * a[k] + cf * b[k]) / (ct + cf);
            return a;
        }

        /**
         * Algorithm 2's RECURSE. The parent's path holds {@code depth} entries from {@code parentOffset}; this level
         * copies them to {@code depth + 1} slots further on (as the reference implementation does) and extends the
         * copy, so the parent's path is intact when its second child is visited.
         */
        void recurse(int node, float[] x, double[][] phi, Path path, int parentOffset, int depth,
                     double parentZero, double parentOne, int parentFeature) {
            int o = parentOffset + depth + 1;
            path.copy(parentOffset, o, depth);
            path.extend(o, depth, parentZero, parentOne, parentFeature);
            if (feature[node] < 0) {
                double[] leaf = leafValues[node];
                for (int i = 1; i <= depth; i++) {
                    double w = path.unwoundSum(o, depth, i);
                    double scale = w * (path.one[o + i] - path.zero[o + i]);
                    int f = path.feature[o + i];
                    for (int k = 0; k < leaf.length; k++) phi[k][f] += scale * leaf[k];
                }
                return;
            }
            int split = feature[node];
            boolean toTrue = goesTrue(node, x[split]);
            int hot = toTrue ? trueChild[node] : falseChild[node];
            int cold = toTrue ? falseChild[node] : trueChild[node];
            double total = cover[trueChild[node]] + cover[falseChild[node]];
            double hotZero = cover[hot] / total;
            double coldZero = cover[cold] / total;
            double incomingZero = 1;
            double incomingOne = 1;
            int index = 0;
            while (index <= depth && path.feature[o + index] != split) index++;
            int d = depth;
            if (index != depth + 1) { // the feature was met above: undo that split so it is counted once
                incomingZero = path.zero[o + index];
                incomingOne = path.one[o + index];
                path.unwind(o, depth, index);
                d--;
            }
            recurse(hot, x, phi, path, o, d + 1, hotZero * incomingZero, incomingOne, split);
            recurse(cold, x, phi, path, o, d + 1, coldZero * incomingZero, 0, split);
        }
    }
}
