package dev.candor.explain.shap;

import java.util.List;

/**
 * One decision tree in a plain form for {@link TreeShap}: nodes in an array, node 0 the root, each internal node
 * testing one column against a float threshold, each leaf adding a value per output.
 *
 * <p><b>Mapping from ONNX-ML {@code TreeEnsembleClassifier}/{@code Regressor}</b> (Candor's
 * {@code stages.train.TreeEnsemble} is the same shape): {@code nodes_featureids} → {@link Split#feature()};
 * {@code nodes_values} → {@link Split#threshold()} (keep the float, since the model compares floats);
 * {@code nodes_modes} {@code BRANCH_LT} → {@link Rule#LESS_THAN} and {@code BRANCH_LEQ} →
 * {@link Rule#LESS_OR_EQUAL}, with {@code nodes_truenodeids} → {@link Split#trueChild()} and
 * {@code nodes_falsenodeids} → {@link Split#falseChild()}; {@code BRANCH_GT} and {@code BRANCH_GTE} are
 * {@code LESS_OR_EQUAL} and {@code LESS_THAN} with the two children swapped; {@code nodes_missing_value_tracks_true}
 * → {@link Split#missingGoesTrue()}; {@code nodes_hitrates} (or Tribuo's/XGBoost's training counts or hessian sums)
 * → {@code cover}; {@code class_ids}/{@code class_weights} of a leaf → {@link Leaf#values()} (zero for classes the
 * leaf does not name). Node ids are renumbered to positions in the list. The ensemble's {@code base_values} go to
 * {@link TreeShap}'s base scores; the post-transform (softmax, logistic) is left out, as TreeSHAP explains the raw
 * summed score.
 *
 * <p>Covers need not be consistent (a parent's cover equal to its children's sum): TreeSHAP splits a node's mass
 * between its children in proportion to their covers, so only the ratio between siblings matters, and it must be
 * positive for at least one of them.
 *
 * @param nodes the nodes, root first (copied)
 */
public record DecisionTree(List<Node> nodes) {

    /** How a split compares a row's value {@code x} with its threshold {@code t}; true takes the true child. */
    public enum Rule {
        /** {@code x < t} (XGBoost, LightGBM's ONNX exports, ONNX {@code BRANCH_LT}). */
        LESS_THAN,
        /** {@code x <= t} (scikit-learn, Tribuo, ONNX {@code BRANCH_LEQ}). */
        LESS_OR_EQUAL
    }

    /** A node: internal ({@link Split}) or terminal ({@link Leaf}). */
    public sealed interface Node permits Split, Leaf {
        /** The training weight that reached the node (sample count, hit rate, or hessian sum). */
        double cover();
    }

    /**
     * An internal node.
     *
     * @param feature         the input column tested
     * @param threshold       the threshold, compared in float
     * @param rule            the comparison
     * @param trueChild       index of the node taken when the comparison holds
     * @param falseChild      index of the node taken otherwise
     * @param missingGoesTrue whether a NaN input takes the true child
     * @param cover           training weight reaching the node
     */
    public record Split(int feature, float threshold, Rule rule, int trueChild, int falseChild,
                        boolean missingGoesTrue, double cover) implements Node {
        public Split {
            if (feature < 0) throw new IllegalArgumentException("a split's feature must be >= 0, got " + feature);
            if (rule == null) throw new IllegalArgumentException("a split needs a rule");
        }

        /** Whether {@code x} takes the true child. */
        public boolean goesTrue(float x) {
            if (Float.isNaN(x)) return missingGoesTrue;
            return rule == Rule.LESS_THAN ? x < threshold : x <= threshold;
        }
    }

    /**
     * A leaf.
     *
     * @param values the value added to each output (copied)
     * @param cover  training weight reaching the leaf
     */
    public record Leaf(double[] values, double cover) implements Node {
        public Leaf {
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        double valueRaw(int k) {
            return values[k];
        }

        int width() {
            return values.length;
        }
    }

    public DecisionTree {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) throw new IllegalArgumentException("a tree needs at least one node");
        int outputs = -1;
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (!(node.cover() >= 0) || Double.isInfinite(node.cover())) {
                throw new IllegalArgumentException("node " + i + " has cover " + node.cover()
                        + "; covers must be finite and >= 0");
            }
            if (node instanceof Split s) {
                for (int child : new int[] {s.trueChild(), s.falseChild()}) {
                    if (child <= i || child >= nodes.size()) {
                        throw new IllegalArgumentException("node " + i + " points to child " + child + "; children"
                                + " must come after their parent, within the " + nodes.size() + " nodes");
                    }
                }
                double sum = nodes.get(s.trueChild()).cover() + nodes.get(s.falseChild()).cover();
                if (!(sum > 0)) {
                    throw new IllegalArgumentException("the children of node " + i + " both have cover 0;"
                            + " TreeSHAP needs the training weight that reached them");
                }
            } else {
                Leaf leaf = (Leaf) node;
                if (outputs >= 0 && leaf.width() != outputs) {
                    throw new IllegalArgumentException("leaf " + i + " has " + leaf.width() + " values, an earlier"
                            + " leaf has " + outputs + "; every leaf needs one value per output");
                }
                outputs = leaf.width();
            }
        }
        if (outputs < 0) throw new IllegalArgumentException("a tree needs at least one leaf");
    }

    /** The number of outputs each leaf carries. */
    public int outputs() {
        for (Node n : nodes) if (n instanceof Leaf l) return l.width();
        throw new IllegalStateException("a tree without leaves passed validation");
    }

    /** The index of the leaf {@code row} reaches. */
    public int leafOf(float[] row) {
        int i = 0;
        while (nodes.get(i) instanceof Split s) i = s.goesTrue(row[s.feature()]) ? s.trueChild() : s.falseChild();
        return i;
    }

    /** The largest split feature index, or −1 for a single leaf. */
    int maxFeature() {
        int max = -1;
        for (Node n : nodes) if (n instanceof Split s) max = Math.max(max, s.feature());
        return max;
    }

    /** The number of edges on the longest root-to-leaf path. */
    int depth() {
        return depth(0);
    }

    private int depth(int i) {
        return nodes.get(i) instanceof Split s ? 1 + Math.max(depth(s.trueChild()), depth(s.falseChild())) : 0;
    }
}
