package dev.candor.stages.train;

import java.util.List;

/**
 * A trained tree ensemble in the shape of ONNX-ML's {@code TreeEnsembleClassifier}: the class score of a row is the
 * sum over trees of the weights of the leaf the row reaches, then {@link #postTransform} turns the scores into
 * probabilities. CART is one tree with leaf class distributions, a random forest is its members' distributions
 * divided by the member count, XGBoost is its boosted margins with a softmax.
 *
 * <p>It is also evaluated in Java ({@link #predict}), with ONNX Runtime's float semantics, so the stage can check an
 * export against the trainer's own predictions before it writes a file.
 *
 * @param featureCount  the width of the input rows
 * @param classCount    the number of output columns
 * @param trees         the trees; each tree's node 0 is its root
 * @param postTransform how scores become probabilities
 */
record TreeEnsemble(int featureCount, int classCount, List<Tree> trees, PostTransform postTransform) {

    /** ONNX-ML {@code post_transform} values used here. */
    enum PostTransform { NONE, SOFTMAX }

    /** How a split compares the row value {@code x} with its threshold; true means "take the true branch". */
    enum Mode {
        /** {@code x <= threshold}: Tribuo's trees ({@code x > split} goes to the greater-than child). */
        BRANCH_LEQ,
        /** {@code x < threshold}: XGBoost ({@code x < split_condition} goes to the "yes" child). */
        BRANCH_LT
    }

    /** One tree: nodes indexed by their position, root first. */
    record Tree(List<Node> nodes) {
        Tree {
            nodes = List.copyOf(nodes);
            if (nodes.isEmpty()) throw new IllegalArgumentException("a tree needs at least one node");
        }
    }

    /** A node of a tree. {@code cover} is the training weight that reached it (ONNX {@code nodes_hitrates}). */
    sealed interface Node permits Split, Leaf {
        double cover();
    }

    /**
     * An internal node.
     *
     * @param feature           the input column tested
     * @param threshold         the threshold, as the float ONNX stores and compares
     * @param mode              the comparison
     * @param trueChild         the node index taken when the comparison holds
     * @param falseChild        the node index taken otherwise
     * @param missingTracksTrue whether a NaN input takes the true branch
     * @param cover             training weight reaching the node
     */
    record Split(int feature, float threshold, Mode mode, int trueChild, int falseChild, boolean missingTracksTrue,
                 double cover) implements Node {
    }

    /**
     * A leaf: the weights it adds to some classes' scores.
     *
     * @param classes output column indexes
     * @param weights the weight added to each of those classes
     * @param cover   training weight reaching the leaf
     */
    record Leaf(int[] classes, double[] weights, double cover) implements Node {
        Leaf {
            if (classes.length != weights.length) throw new IllegalArgumentException("one weight per class");
        }
    }

    TreeEnsemble {
        trees = List.copyOf(trees);
        if (trees.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one tree");
    }

    /** The index of the leaf {@code row} reaches in {@code tree}. */
    static int leafOf(Tree tree, float[] row) {
        int i = 0;
        while (tree.nodes().get(i) instanceof Split s) {
            float x = row[s.feature()];
            boolean goTrue = Float.isNaN(x) ? s.missingTracksTrue()
                    : s.mode() == Mode.BRANCH_LEQ ? x <= s.threshold() : x < s.threshold();
            i = goTrue ? s.trueChild() : s.falseChild();
        }
        return i;
    }

    /** Class probabilities of one row, as the ONNX operator computes them (to float precision). */
    double[] predict(float[] row) {
        double[] scores = new double[classCount];
        for (Tree tree : trees) {
            Leaf leaf = (Leaf) tree.nodes().get(leafOf(tree, row));
            for (int k = 0; k < leaf.classes().length; k++) scores[leaf.classes()[k]] += (float) leaf.weights()[k];
        }
        if (postTransform == PostTransform.SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (double s : scores) max = Math.max(max, s);
            double sum = 0;
            for (int k = 0; k < scores.length; k++) {
                scores[k] = Math.exp(scores[k] - max);
                sum += scores[k];
            }
            for (int k = 0; k < scores.length; k++) scores[k] /= sum;
        }
        return scores;
    }

    /** The number of nodes over all trees. */
    int nodeCount() {
        return trees.stream().mapToInt(t -> t.nodes().size()).sum();
    }
}
