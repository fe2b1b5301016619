package dev.candor.stages.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.WeightedEnsembleModel;

/**
 * Reads the trees of Tribuo's CART models and random forests into a {@link TreeEnsemble}. Tribuo 4.3.2 cannot export
 * trees to ONNX itself ({@code TreeModel} is not {@code ONNXExportable}, and a forest is only exportable when its
 * members are), so Candor does.
 *
 * <p>Tribuo sends a row to the greater-than child when {@code x > split} (in double precision), else (NaN included)
 * to the less-or-equal child. ONNX compares float inputs with float thresholds, so each threshold is rounded down to
 * the largest float not above it: for every float x, {@code x > t} exactly when {@code x > floor(t)}.
 */
final class TribuoTrees {
    private TribuoTrees() {
    }

    /** One CART tree; its leaves carry Tribuo's class distributions. */
    static TreeEnsemble fromCart(TreeModel<Label> model, Map<String, Integer> featureIndex,
                                 Map<String, Integer> classIndex, float[][] trainRows) {
        TreeEnsemble.Tree tree = convert(model, 1.0, featureIndex, classIndex, trainRows);
        return new TreeEnsemble(featureIndex.size(), classIndex.size(), List.of(tree), TreeEnsemble.PostTransform.NONE);
    }

    /**
     * A random forest combined by averaging its members' distributions (Tribuo's {@code FullyWeightedVotingCombiner}
     * with equal weights): each leaf's distribution divided by the member count.
     */
    static TreeEnsemble fromForest(WeightedEnsembleModel<Label> forest, Map<String, Integer> featureIndex,
                                   Map<String, Integer> classIndex, float[][] trainRows) {
        List<Model<Label>> members = forest.getModels();
        double scale = 1.0 / members.size();
        List<TreeEnsemble.Tree> trees = new ArrayList<>(members.size());
        for (Model<Label> member : members) {
            if (!(member instanceof TreeModel<Label> tree)) {
                throw new IllegalStateException("cannot export the random forest to ONNX faithfully: a member is a "
                        + member.getClass().getName() + ", not a Tribuo TreeModel");
            }
            trees.add(convert(tree, scale, featureIndex, classIndex, trainRows));
        }
        return new TreeEnsemble(featureIndex.size(), classIndex.size(), trees, TreeEnsemble.PostTransform.NONE);
    }

    /** The largest float not greater than {@code t}. */
    static float floorToFloat(double t) {
        float f = (float) t;
        return (double) f > t ? Math.nextDown(f) : f;
    }

    private static TreeEnsemble.Tree convert(TreeModel<Label> model, double scale, Map<String, Integer> featureIndex,
                                             Map<String, Integer> classIndex, float[][] trainRows) {
        List<TreeEnsemble.Node> nodes = new ArrayList<>();
        add(model.getRoot(), model.getFeatureIDMap(), scale, featureIndex, classIndex, nodes);
        return withCover(nodes, trainRows);
    }

    /** Appends {@code node} and its subtree in pre-order; returns its index. */
    private static int add(Node<Label> node, ImmutableFeatureMap features, double scale, Map<String, Integer> featureIndex,
                           Map<String, Integer> classIndex, List<TreeEnsemble.Node> out) {
        int at = out.size();
        if (node instanceof LeafNode<Label> leaf) {
            Map<String, Label> distribution = leaf.getDistribution();
            int[] classes = new int[distribution.size()];
            double[] weights = new double[distribution.size()];
            int k = 0;
            for (Label l : distribution.values()) {
                Integer c = classIndex.get(l.getLabel());
                if (c == null) throw new IllegalStateException("a leaf predicts class '" + l.getLabel() + "' the dataset lacks");
                classes[k] = c;
                weights[k++] = l.getScore() * scale;
            }
            out.add(new TreeEnsemble.Leaf(classes, weights, 0));
            return at;
        }
        if (!(node instanceof SplitNode<Label> split)) {
            throw new IllegalStateException("cannot export a Tribuo tree to ONNX faithfully: unknown node type "
                    + node.getClass().getName());
        }
        String name = features.get(split.getFeatureID()).getName();
        Integer feature = featureIndex.get(name);
        if (feature == null) throw new IllegalStateException("a split tests feature '" + name + "' the encoder lacks");
        out.add(null); // placeholder: the children's indexes are known only after they are added
        int lessOrEqual = add(split.getLessThanOrEqual(), features, scale, featureIndex, classIndex, out);
        int greater = add(split.getGreaterThan(), features, scale, featureIndex, classIndex, out);
        out.set(at, new TreeEnsemble.Split(feature, floorToFloat(split.splitValue()), TreeEnsemble.Mode.BRANCH_LEQ,
                lessOrEqual, greater, true, 0));
        return at;
    }

    /** The nodes with their cover: the number of training rows that pass through each. */
    private static TreeEnsemble.Tree withCover(List<TreeEnsemble.Node> nodes, float[][] rows) {
        double[] counts = new double[nodes.size()];
        for (float[] row : rows) {
            int i = 0;
            counts[0]++;
            while (nodes.get(i) instanceof TreeEnsemble.Split s) {
                float x = row[s.feature()];
                i = Float.isNaN(x) || x <= s.threshold() ? s.trueChild() : s.falseChild();
                counts[i]++;
            }
        }
        List<TreeEnsemble.Node> covered = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            TreeEnsemble.Node n = nodes.get(i);
            covered.add(n instanceof TreeEnsemble.Split s
                    ? new TreeEnsemble.Split(s.feature(), s.threshold(), s.mode(), s.trueChild(), s.falseChild(),
                            s.missingTracksTrue(), counts[i])
                    : new TreeEnsemble.Leaf(((TreeEnsemble.Leaf) n).classes(), ((TreeEnsemble.Leaf) n).weights(), counts[i]));
        }
        return new TreeEnsemble.Tree(covered);
    }
}
