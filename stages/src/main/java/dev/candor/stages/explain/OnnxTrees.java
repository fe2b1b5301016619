package dev.candor.stages.explain;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.candor.explain.shap.DecisionTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the trees of an ONNX-ML {@code TreeEnsembleClassifier} back into {@link DecisionTree}s for TreeSHAP, as
 * {@link DecisionTree}'s Javadoc maps the attributes: covers from {@code nodes_hitrates}, {@code BRANCH_GT}/
 * {@code BRANCH_GTE} as the opposite rule with the children swapped, leaf weights summed per class. Nodes are
 * renumbered in depth-first order, so children always follow their parent whatever ids the writer used.
 *
 * @param trees         one tree per ONNX tree id, in id order
 * @param baseScores    ONNX {@code base_values} (zeros when absent)
 * @param postTransform ONNX {@code post_transform} ({@code NONE}, {@code SOFTMAX}, {@code LOGISTIC}, ...)
 */
public record OnnxTrees(List<DecisionTree> trees, double[] baseScores, String postTransform) {
    static final String OPERATOR = "TreeEnsembleClassifier";

    public OnnxTrees {
        trees = List.copyOf(trees);
        baseScores = baseScores.clone();
    }

    @Override
    public double[] baseScores() {
        return baseScores.clone();
    }

    /** Whether {@code model} holds a tree ensemble this class can read. */
    public static boolean isTreeEnsemble(ModelProto model) {
        return model.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals(OPERATOR));
    }

    public static ModelProto parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ONNX model " + file, e);
        }
    }

    /**
     * The ensemble of the graph's one {@code TreeEnsembleClassifier}.
     *
     * @param classes the number of probability columns the model outputs
     * @param where   the file, for messages
     * @throws IllegalArgumentException when the graph holds no such node, or one this reader cannot map
     */
    public static OnnxTrees read(ModelProto model, int classes, String where) {
        List<NodeProto> ensembles = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals(OPERATOR)).toList();
        if (ensembles.size() != 1) {
            throw new IllegalArgumentException(where + " holds " + ensembles.size() + " " + OPERATOR + " nodes; TreeSHAP"
                    + " reads a model of exactly one (use method: kernel for other models)");
        }
        Map<String, AttributeProto> a = new HashMap<>();
        for (AttributeProto attribute : ensembles.get(0).getAttributeList()) a.put(attribute.getName(), attribute);
        String context = where + " (" + OPERATOR + ")";
        List<Long> treeIds = ints(a, "nodes_treeids", context);
        List<Long> nodeIds = ints(a, "nodes_nodeids", context);
        List<Long> featureIds = ints(a, "nodes_featureids", context);
        List<Float> values = floats(a, "nodes_values", context);
        List<Long> trueIds = ints(a, "nodes_truenodeids", context);
        List<Long> falseIds = ints(a, "nodes_falsenodeids", context);
        List<Float> hitrates = a.containsKey("nodes_hitrates") ? a.get("nodes_hitrates").getFloatsList() : List.of();
        List<Long> missingTrue = a.containsKey("nodes_missing_value_tracks_true")
                ? a.get("nodes_missing_value_tracks_true").getIntsList() : List.of();
        List<String> modes = a.containsKey("nodes_modes")
                ? a.get("nodes_modes").getStringsList().stream().map(b -> b.toString(StandardCharsets.UTF_8)).toList()
                : List.of();
        int n = treeIds.size();
        if (hitrates.size() != n) {
            throw new IllegalArgumentException(context + " has " + hitrates.size() + " nodes_hitrates for " + n
                    + " nodes; TreeSHAP needs each node's training cover there (retrain with train.tribuo, or use"
                    + " method: kernel)");
        }
        for (List<?> list : List.of(nodeIds, featureIds, values, trueIds, falseIds, modes)) {
            if (list.size() != n) {
                throw new IllegalArgumentException(context + " has node attributes of different lengths (" + n
                        + " tree ids, another list of " + list.size() + ")");
            }
        }
        List<Long> leafTrees = ints(a, "class_treeids", context);
        List<Long> leafNodes = ints(a, "class_nodeids", context);
        List<Long> leafClasses = ints(a, "class_ids", context);
        List<Float> leafWeights = floats(a, "class_weights", context);
        double[] base = new double[classes];
        if (a.containsKey("base_values")) {
            List<Float> b = a.get("base_values").getFloatsList();
            if (b.size() != classes) {
                throw new IllegalArgumentException(context + " has " + b.size() + " base_values for " + classes
                        + " classes; a one-score binary ensemble is not supported (use method: kernel)");
            }
            for (int k = 0; k < classes; k++) base[k] = b.get(k);
        }
        String post = a.containsKey("post_transform") ? a.get("post_transform").getS().toStringUtf8() : "NONE";

        // (tree, node) → position in the attribute lists; leaf weights per (tree, node).
        Map<Long, Map<Long, Integer>> byTree = new TreeMap<>();
        for (int i = 0; i < n; i++) byTree.computeIfAbsent(treeIds.get(i), t -> new HashMap<>()).put(nodeIds.get(i), i);
        Map<Long, Map<Long, double[]>> leaves = new HashMap<>();
        for (int i = 0; i < leafTrees.size(); i++) {
            int k = Math.toIntExact(leafClasses.get(i));
            if (k < 0 || k >= classes) {
                throw new IllegalArgumentException(context + " has a leaf weight for class id " + k + " but the model"
                        + " outputs " + classes + " classes; a one-score binary ensemble is not supported (use method: kernel)");
            }
            leaves.computeIfAbsent(leafTrees.get(i), t -> new HashMap<>())
                    .computeIfAbsent(leafNodes.get(i), x -> new double[classes])[k] += leafWeights.get(i);
        }
        List<DecisionTree> trees = new ArrayList<>();
        for (Map.Entry<Long, Map<Long, Integer>> tree : byTree.entrySet()) {
            Map<Long, Integer> ids = tree.getValue();
            Map<Long, double[]> treeLeaves = leaves.getOrDefault(tree.getKey(), Map.of());
            // The root is the node no other node points to.
            java.util.Set<Long> children = new java.util.HashSet<>();
            for (int i : ids.values()) {
                if (!modes.get(i).equals("LEAF")) {
                    children.add(trueIds.get(i));
                    children.add(falseIds.get(i));
                }
            }
            List<Long> roots = ids.keySet().stream().filter(id -> !children.contains(id)).sorted().toList();
            if (roots.size() != 1) {
                throw new IllegalArgumentException(context + ": tree " + tree.getKey() + " has " + roots.size()
                        + " roots; a tree needs exactly one");
            }
            List<DecisionTree.Node> out = new ArrayList<>();
            // Depth-first, iteratively: each entry is (ONNX node id, position of the parent's child slot to patch).
            List<long[]> stack = new ArrayList<>();
            stack.add(new long[] {roots.get(0), -1, 0});
            List<int[]> patches = new ArrayList<>();   // {parent position, which child (0 true, 1 false), child position}
            while (!stack.isEmpty()) {
                long[] top = stack.remove(stack.size() - 1);
                Integer i = ids.get(top[0]);
                if (i == null) {
                    throw new IllegalArgumentException(context + ": tree " + tree.getKey() + " points to node "
                            + top[0] + ", which it does not hold");
                }
                int position = out.size();
                if (top[1] >= 0) patches.add(new int[] {(int) top[1], (int) top[2], position});
                String mode = modes.get(i);
                double cover = hitrates.get(i);
                if (mode.equals("LEAF")) {
                    double[] w = treeLeaves.getOrDefault(top[0], new double[classes]);
                    out.add(new DecisionTree.Leaf(w, cover));
                    continue;
                }
                DecisionTree.Rule rule;
                boolean swap;
                switch (mode) {
                    case "BRANCH_LEQ" -> { rule = DecisionTree.Rule.LESS_OR_EQUAL; swap = false; }
                    case "BRANCH_LT" -> { rule = DecisionTree.Rule.LESS_THAN; swap = false; }
                    case "BRANCH_GT" -> { rule = DecisionTree.Rule.LESS_OR_EQUAL; swap = true; }
                    case "BRANCH_GTE" -> { rule = DecisionTree.Rule.LESS_THAN; swap = true; }
                    default -> throw new IllegalArgumentException(context + ": tree " + tree.getKey() + " node "
                            + top[0] + " has mode " + mode + "; TreeSHAP reads BRANCH_LEQ, BRANCH_LT, BRANCH_GT,"
                            + " BRANCH_GTE and LEAF (use method: kernel)");
                }
                boolean missing = !missingTrue.isEmpty() && missingTrue.get(i) != 0;
                // The placeholder is replaced once both children have positions.
                out.add(new DecisionTree.Split(Math.toIntExact(featureIds.get(i)), values.get(i), rule, 0, 0,
                        swap != missing, cover));
                long yes = swap ? falseIds.get(i) : trueIds.get(i);
                long no = swap ? trueIds.get(i) : falseIds.get(i);
                stack.add(new long[] {no, position, 1});
                stack.add(new long[] {yes, position, 0});
            }
            int[][] kids = new int[out.size()][2];
            for (int[] p : patches) kids[p[0]][p[1]] = p[2];
            for (int p = 0; p < out.size(); p++) {
                if (out.get(p) instanceof DecisionTree.Split s) {
                    out.set(p, new DecisionTree.Split(s.feature(), s.threshold(), s.rule(), kids[p][0], kids[p][1],
                            s.missingGoesTrue(), s.cover()));
                }
            }
            trees.add(new DecisionTree(out));
        }
        return new OnnxTrees(trees, base, post);
    }

    private static List<Long> ints(Map<String, AttributeProto> a, String name, String context) {
        AttributeProto p = a.get(name);
        if (p == null) throw new IllegalArgumentException(context + " has no attribute " + name);
        return p.getIntsList();
    }

    private static List<Float> floats(Map<String, AttributeProto> a, String name, String context) {
        AttributeProto p = a.get(name);
        if (p == null) throw new IllegalArgumentException(context + " has no attribute " + name);
        return p.getFloatsList();
    }
}
