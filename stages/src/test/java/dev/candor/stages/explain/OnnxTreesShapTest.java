package dev.candor.stages.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.google.protobuf.ByteString;
import dev.candor.explain.shap.DecisionTree;
import dev.candor.explain.shap.TreeShap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reading a hand-written {@code TreeEnsembleClassifier} with the attribute forms Candor's own writer never emits:
 * node ids out of order, a {@code BRANCH_GT} split whose missing values go to its ONNX true branch, base values.
 */
class OnnxTreesShapTest {

    /**
     * Tree 0: node 5 (root) "x0 > 0.5" → true: leaf 2 [0, 1]; false: node 7 "x1 <= 1" → true: leaf 1 [1, 0],
     * false: leaf 3 [0.5, 0.5]. NaN at the root takes the ONNX true branch. Base values [0.25, -0.25].
     */
    private static ModelProto model(boolean withHitrates) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("TreeEnsembleClassifier").setDomain("ai.onnx.ml")
                .addAttribute(ints("nodes_treeids", 0, 0, 0, 0, 0))
                .addAttribute(ints("nodes_nodeids", 5, 2, 7, 1, 3))
                .addAttribute(ints("nodes_featureids", 0, 0, 1, 0, 0))
                .addAttribute(AttributeProto.newBuilder().setName("nodes_modes").setType(AttributeType.STRINGS)
                        .addAllStrings(Stream.of("BRANCH_GT", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF")
                                .map(ByteString::copyFromUtf8).toList()))
                .addAttribute(floats("nodes_values", 0.5f, 0, 1f, 0, 0))
                .addAttribute(ints("nodes_truenodeids", 2, 0, 1, 0, 0))
                .addAttribute(ints("nodes_falsenodeids", 7, 0, 3, 0, 0))
                .addAttribute(ints("nodes_missing_value_tracks_true", 1, 0, 0, 0, 0))
                .addAttribute(ints("class_treeids", 0, 0, 0, 0))
                .addAttribute(ints("class_nodeids", 2, 1, 3, 3))
                .addAttribute(ints("class_ids", 1, 0, 0, 1))
                .addAttribute(floats("class_weights", 1f, 1f, 0.5f, 0.5f))
                .addAttribute(floats("base_values", 0.25f, -0.25f))
                .addAttribute(AttributeProto.newBuilder().setName("post_transform").setType(AttributeType.STRING)
                        .setS(ByteString.copyFromUtf8("SOFTMAX")));
        if (withHitrates) node.addAttribute(floats("nodes_hitrates", 10, 4, 6, 2, 4));
        return ModelProto.newBuilder().setGraph(GraphProto.newBuilder().addNode(node)).build();
    }

    @Test
    void readsTheTreeAsONNXRuntimeWalksIt() {
        OnnxTrees trees = OnnxTrees.read(model(true), 2, "hand.onnx");
        assertThat(trees.postTransform()).isEqualTo("SOFTMAX");
        assertThat(trees.baseScores()).containsExactly(0.25, -0.25);
        DecisionTree tree = trees.trees().get(0);
        assertThat(tree.nodes()).hasSize(5);
        assertThat(tree.nodes().get(0).cover()).isEqualTo(10);
        TreeShap shap = new TreeShap(trees.trees(), trees.baseScores(), List.of("a", "b"), List.of("x0", "x1"));
        assertThat(shap.score(new float[] {1f, 0f})).containsExactly(0.25, 0.75);          // x0 > 0.5
        assertThat(shap.score(new float[] {0.5f, 0f})).containsExactly(1.25, -0.25);       // x0 = 0.5 is not > 0.5
        assertThat(shap.score(new float[] {0f, 2f})).containsExactly(0.75, 0.25);
        assertThat(shap.score(new float[] {Float.NaN, 2f})).containsExactly(0.25, 0.75);   // missing: ONNX true branch
        // E = base + cover-weighted leaves: 0.4·[0,1] + 0.6·(1/3·[1,0] + 2/3·[0.5,0.5]).
        assertThat(shap.expectedValue()[0]).isCloseTo(0.25 + 0.6 * (1.0 / 3 + 1.0 / 3), within(1e-12));
        var v = shap.explain(new float[] {0f, 2f});
        assertThat(v.efficiencyGap()).isLessThan(1e-12);
    }

    @Test
    void refusesATreeWithoutCovers() {
        assertThatThrownBy(() -> OnnxTrees.read(model(false), 2, "hand.onnx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hand.onnx").hasMessageContaining("nodes_hitrates")
                .hasMessageContaining("method: kernel");
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long v : values) b.addInts(v);
        return b.build();
    }

    private static AttributeProto floats(String name, float... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
        for (float v : values) b.addFloats(v);
        return b.build();
    }
}
