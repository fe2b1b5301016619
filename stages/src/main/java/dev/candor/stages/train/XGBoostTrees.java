package dev.candor.stages.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.classification.Label;
import org.tribuo.common.xgboost.XGBoostModel;

/**
 * Reads the booster of a Tribuo XGBoost classifier into a {@link TreeEnsemble}, from XGBoost's own JSON model
 * ({@code Booster.toByteArray("json")}), which stores every threshold and leaf value as the exact float XGBoost
 * uses (the text dump rounds them).
 *
 * <p>Tribuo trains with {@code multi:softprob} for any number of classes: tree {@code t} adds its leaf value to the
 * margin of class {@code tree_info[t]} (Tribuo's label id), and the probabilities are the softmax of the margins.
 * XGBoost's {@code base_score} is added to every margin alike, which a softmax cancels, so it is left out. A split
 * sends {@code x < split_condition} (as floats) to the left child and a missing value to its default child.
 */
final class XGBoostTrees {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private XGBoostTrees() {
    }

    /**
     * @param featureIndex output feature index per Tribuo feature id (XGBoost column)
     * @param classIndex   output column per Tribuo label id (XGBoost class)
     */
    static TreeEnsemble from(XGBoostModel<Label> model, int[] featureIndex, int[] classIndex) {
        List<Booster> boosters = model.getInnerModels();
        if (boosters.size() != 1) {
            throw new IllegalStateException("cannot export the XGBoost model to ONNX faithfully: expected one booster, found "
                    + boosters.size());
        }
        JsonNode root;
        try {
            root = JSON.readTree(boosters.get(0).toByteArray("json"));
        } catch (XGBoostError | IOException e) {
            throw new IllegalStateException("cannot read the trained XGBoost booster as JSON: " + e.getMessage(), e);
        }
        return fromJson(root, featureIndex, classIndex);
    }

    static TreeEnsemble fromJson(JsonNode root, int[] featureIndex, int[] classIndex) {
        JsonNode learner = root.path("learner");
        String objective = learner.path("objective").path("name").asText();
        if (!objective.equals("multi:softprob") && !objective.equals("multi:softmax")) {
            throw unfaithful("its objective is '" + objective + "'; only multi:softprob is supported");
        }
        JsonNode booster = learner.path("gradient_booster");
        if (!booster.path("name").asText().equals("gbtree")) {
            throw unfaithful("its booster is '" + booster.path("name").asText() + "'; only gbtree is supported");
        }
        int numClass = Integer.parseInt(learner.path("learner_model_param").path("num_class").asText());
        if (numClass != classIndex.length) {
            throw unfaithful("it has " + numClass + " classes where Tribuo has " + classIndex.length);
        }
        JsonNode model = booster.path("model");
        JsonNode treeInfo = model.path("tree_info");
        JsonNode trees = model.path("trees");
        if (trees.size() != treeInfo.size() || trees.isEmpty()) {
            throw unfaithful("it lists " + trees.size() + " trees and " + treeInfo.size() + " tree classes");
        }
        List<TreeEnsemble.Tree> out = new ArrayList<>(trees.size());
        for (int t = 0; t < trees.size(); t++) {
            out.add(tree(trees.get(t), classIndex[treeInfo.get(t).asInt()], featureIndex));
        }
        return new TreeEnsemble(featureIndex.length, classIndex.length, out, TreeEnsemble.PostTransform.SOFTMAX);
    }

    private static TreeEnsemble.Tree tree(JsonNode tree, int outputClass, int[] featureIndex) {
        JsonNode left = tree.path("left_children");
        JsonNode right = tree.path("right_children");
        JsonNode splitIndex = tree.path("split_indices");
        JsonNode condition = tree.path("split_conditions");
        JsonNode defaultLeft = tree.path("default_left");
        JsonNode hessian = tree.path("sum_hessian");
        JsonNode splitType = tree.path("split_type");
        int n = left.size();
        if (right.size() != n || splitIndex.size() != n || condition.size() != n || defaultLeft.size() != n) {
            throw unfaithful("tree " + tree.path("id").asInt() + " has node arrays of different lengths");
        }
        List<TreeEnsemble.Node> nodes = new ArrayList<>();
        // Walk from the root so that nodes XGBoost deleted while pruning (still in the arrays) are left out.
        add(0, tree, left, right, splitIndex, condition, defaultLeft, hessian, splitType, outputClass, featureIndex, nodes);
        return new TreeEnsemble.Tree(nodes);
    }

    private static int add(int id, JsonNode tree, JsonNode left, JsonNode right, JsonNode splitIndex, JsonNode condition,
                           JsonNode defaultLeft, JsonNode hessian, JsonNode splitType, int outputClass,
                           int[] featureIndex, List<TreeEnsemble.Node> out) {
        int at = out.size();
        double cover = hessian.has(id) ? hessian.get(id).asDouble() : 0;
        float value = condition.get(id).decimalValue().floatValue();
        if (left.get(id).asInt() == -1) {
            out.add(new TreeEnsemble.Leaf(new int[] {outputClass}, new double[] {value}, cover));
            return at;
        }
        if (splitType.has(id) && splitType.get(id).asInt() != 0) {
            throw unfaithful("tree " + tree.path("id").asInt() + " has a categorical split");
        }
        int column = splitIndex.get(id).asInt();
        if (column < 0 || column >= featureIndex.length) {
            throw unfaithful("a split tests column " + column + " of " + featureIndex.length);
        }
        JsonNode dl = defaultLeft.get(id);
        boolean missingLeft = dl.isBoolean() ? dl.asBoolean() : dl.asInt() != 0;
        out.add(null); // placeholder: the children's indexes are known only after they are added
        int yes = add(left.get(id).asInt(), tree, left, right, splitIndex, condition, defaultLeft, hessian, splitType,
                outputClass, featureIndex, out);
        int no = add(right.get(id).asInt(), tree, left, right, splitIndex, condition, defaultLeft, hessian, splitType,
                outputClass, featureIndex, out);
        out.set(at, new TreeEnsemble.Split(featureIndex[column], value, TreeEnsemble.Mode.BRANCH_LT, yes, no, missingLeft, cover));
        return at;
    }

    private static IllegalStateException unfaithful(String why) {
        return new IllegalStateException("cannot export the XGBoost model to ONNX faithfully: " + why);
    }
}
