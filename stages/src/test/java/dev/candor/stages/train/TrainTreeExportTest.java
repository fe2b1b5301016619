package dev.candor.stages.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** The tree exporters on hand-made cases where the exact float semantics matter. */
class TrainTreeExportTest {

    @Test
    void floorToFloatIsTheLargestFloatNotAboveTheThreshold() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            double t = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-6, 7));
            float f = TribuoTrees.floorToFloat(t);
            assertThat((double) f).isLessThanOrEqualTo(t);
            assertThat((double) Math.nextUp(f)).isGreaterThan(t);
        }
        assertThat(TribuoTrees.floorToFloat(0.25)).isEqualTo(0.25f);
    }

    /**
     * A split between two adjacent floats: Tribuo puts its threshold between them (in double), which no float
     * equals. Rounding it to the nearest float could send the upper value the wrong way in ONNX; rounding down
     * cannot. ONNX Runtime must agree with Tribuo on both values.
     */
    @Test
    void aSplitBetweenAdjacentFloatsRoutesLikeTribuoInOnnxRuntime() throws Exception {
        float a = Math.nextUp(1.0f); // odd last bit: the midpoint to b rounds to b, which would be wrong
        float b = Math.nextUp(a);
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("adjacent", new LabelFactory()),
                new LabelFactory());
        for (int i = 0; i < 20; i++) {
            data.add(new ArrayExample<>(new Label("low"), new String[] {"x"}, new double[] {a}));
            data.add(new ArrayExample<>(new Label("high"), new String[] {"x"}, new double[] {b}));
        }
        TreeModel<Label> tree = new CARTClassificationTrainer(1, 1f, 0f, 1f, false, new GiniIndex(), 1L).train(data);
        TreeEnsemble ensemble = TribuoTrees.fromCart(tree, Map.of("x", 0), Map.of("high", 0, "low", 1),
                new float[][] {{a}, {b}});
        assertThat(ensemble.trees().get(0).nodes()).hasSize(3);
        TreeEnsemble.Split split = (TreeEnsemble.Split) ensemble.trees().get(0).nodes().get(0);
        assertThat(split.cover()).isEqualTo(2);

        var model = TreeEnsembleOnnx.write(ensemble, "features", "probabilities", "test");
        try (OrtSession session = OnnxCheck.ENV.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(OnnxCheck.ENV, new float[][] {{a}, {b}});
             OrtSession.Result r = session.run(Map.of("features", x))) {
            float[][] p = (float[][]) r.get("probabilities").orElseThrow().getValue();
            float[] values = {a, b};
            for (int row = 0; row < 2; row++) {
                Prediction<Label> tribuo = tree.predict(new ArrayExample<>(new Label("?"), new String[] {"x"},
                        new double[] {values[row]}));
                assertThat(tribuo.getOutput().getLabel()).isEqualTo(row == 0 ? "low" : "high");
                assertThat((double) p[row][0]).isCloseTo(tribuo.getOutputScores().get("high").getScore(), within(1e-6));
                assertThat((double) p[row][1]).isCloseTo(tribuo.getOutputScores().get("low").getScore(), within(1e-6));
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Two one-split trees of a 2-class softprob booster, in XGBoost 1.6's JSON model layout. */
    private static String booster(String objective) {
        String tree = """
                {"id": %d, "left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [%d, 0, 0],
                 "split_conditions": [%s, %s, %s], "default_left": [%d, 0, 0], "sum_hessian": [4.0, 1.5, 2.5],
                 "split_type": [0, 0, 0], "parents": [2147483647, 0, 0]}""";
        return """
                {"learner": {"objective": {"name": "%s"},
                  "learner_model_param": {"base_score": "5E-1", "num_class": "2", "num_feature": "2"},
                  "gradient_booster": {"name": "gbtree", "model": {"tree_info": [0, 1], "trees": [%s, %s]}}}}"""
                .formatted(objective, tree.formatted(0, 1, "5E-1", "-2.5E-1", "3.75E-1", 1),
                        tree.formatted(1, 0, "-1.5E0", "1E-1", "-2E-1", 0));
    }

    @Test
    void anXGBoostBoosterBecomesSoftmaxedMarginsWithItsOwnSplitRule() throws Exception {
        // Tribuo label id 0 is output column 1 and id 1 is column 0; features map straight through.
        TreeEnsemble e = XGBoostTrees.fromJson(JSON.readTree(booster("multi:softprob")), new int[] {0, 1}, new int[] {1, 0});
        assertThat(e.trees()).hasSize(2);
        assertThat(e.postTransform()).isEqualTo(TreeEnsemble.PostTransform.SOFTMAX);
        TreeEnsemble.Split root = (TreeEnsemble.Split) e.trees().get(0).nodes().get(0);
        assertThat(root.feature()).isEqualTo(1);
        assertThat(root.threshold()).isEqualTo(0.5f);
        assertThat(root.mode()).isEqualTo(TreeEnsemble.Mode.BRANCH_LT);
        assertThat(root.missingTracksTrue()).isTrue();
        assertThat(root.cover()).isEqualTo(4.0);

        // x = (f0, f1) = (-2, 0.5): tree 0 tests f1 < 0.5 -> no -> 0.375 to class id 0 (column 1);
        // tree 1 tests f0 < -1.5 -> yes -> 0.1 to class id 1 (column 0).
        double[] p = e.predict(new float[] {-2f, 0.5f});
        double z0 = 0.1, z1 = 0.375;
        assertThat(p[0]).isCloseTo(Math.exp(z0) / (Math.exp(z0) + Math.exp(z1)), within(1e-7));
        assertThat(p[1]).isCloseTo(Math.exp(z1) / (Math.exp(z0) + Math.exp(z1)), within(1e-7));
        // A missing f1 follows tree 0's default (left: -0.25); a missing f0 follows tree 1's default (right: -0.2).
        double[] q = e.predict(new float[] {Float.NaN, Float.NaN});
        assertThat(q[1] / q[0]).isCloseTo(Math.exp(-0.25 - -0.2), within(1e-6));
    }

    @Test
    void anObjectiveThatCannotBeExportedFaithfullyIsRefusedByName() throws Exception {
        var json = JSON.readTree(booster("binary:logistic"));
        assertThatThrownBy(() -> XGBoostTrees.fromJson(json, new int[] {0, 1}, new int[] {0, 1}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot export the XGBoost model to ONNX faithfully")
                .hasMessageContaining("binary:logistic");
    }

    @Test
    void theOnnxOperatorCarriesTheTreesForExplainers() {
        TreeEnsemble e = new TreeEnsemble(2, 2, List.of(new TreeEnsemble.Tree(List.of(
                new TreeEnsemble.Split(1, 0.5f, TreeEnsemble.Mode.BRANCH_LEQ, 1, 2, true, 10),
                new TreeEnsemble.Leaf(new int[] {0, 1}, new double[] {0.25, 0.75}, 4),
                new TreeEnsemble.Leaf(new int[] {0, 1}, new double[] {1, 0}, 6)))), TreeEnsemble.PostTransform.NONE);
        var node = TreeEnsembleOnnx.write(e, "features", "probabilities", "test").getGraph().getNode(0);
        assertThat(node.getOpType()).isEqualTo("TreeEnsembleClassifier");
        assertThat(node.getDomain()).isEqualTo("ai.onnx.ml");
        Map<String, ai.onnx.proto.OnnxMl.AttributeProto> attrs = new java.util.HashMap<>();
        node.getAttributeList().forEach(a -> attrs.put(a.getName(), a));
        assertThat(attrs.get("nodes_modes").getStringsList()).extracting(s -> s.toStringUtf8())
                .containsExactly("BRANCH_LEQ", "LEAF", "LEAF");
        assertThat(attrs.get("nodes_featureids").getIntsList()).containsExactly(1L, 0L, 0L);
        assertThat(attrs.get("nodes_hitrates").getFloatsList()).containsExactly(10f, 4f, 6f);
        assertThat(attrs.get("class_weights").getFloatsList()).containsExactly(0.25f, 0.75f, 1f, 0f);
        assertThat(attrs.get("post_transform").getS().toStringUtf8()).isEqualTo("NONE");
    }
}
