package dev.candor.stages.train;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link TreeEnsemble} as one ONNX-ML {@code TreeEnsembleClassifier} node (ai.onnx.ml opset 3): input
 * {@code features} float [N, F], output {@code probabilities} float [N, C] (the operator's {@code Z} output, which
 * needs no ZipMap), classes labelled 0..C-1 in output order. Thresholds, modes and missing-value directions are
 * those of the trained trees, and {@code nodes_hitrates} carry each node's training cover, so a TreeSHAP explainer
 * can read the trees back from the file alone: for Tribuo's trees the number of train-split rows that reach the node
 * (for forest members too, though each was grown on a bootstrap sample), for XGBoost its sum of hessians.
 *
 * <p>Every leaf carries weights for the classes it scores. With two classes both classes get weights and no
 * {@code base_values} are written, so ONNX Runtime treats the output as two independent columns rather than its
 * one-score "binary" special case.
 */
final class TreeEnsembleOnnx {
    static final String ML_DOMAIN = "ai.onnx.ml";
    static final int ML_OPSET = 3;
    static final int DEFAULT_OPSET = 17;
    static final long IR_VERSION = 8;
    static final String LABEL_OUTPUT = "label";

    private TreeEnsembleOnnx() {
    }

    static ModelProto write(TreeEnsemble ensemble, String inputName, String outputName, String producer) {
        List<Long> treeIds = new ArrayList<>(), nodeIds = new ArrayList<>(), featureIds = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>(), falseIds = new ArrayList<>(), missingTrue = new ArrayList<>();
        List<ByteString> modes = new ArrayList<>();
        List<Float> values = new ArrayList<>(), hitrates = new ArrayList<>();
        List<Long> classTreeIds = new ArrayList<>(), classNodeIds = new ArrayList<>(), classIds = new ArrayList<>();
        List<Float> classWeights = new ArrayList<>();
        ByteString leafMode = bytes("LEAF");
        for (int t = 0; t < ensemble.trees().size(); t++) {
            List<TreeEnsemble.Node> nodes = ensemble.trees().get(t).nodes();
            for (int n = 0; n < nodes.size(); n++) {
                treeIds.add((long) t);
                nodeIds.add((long) n);
                hitrates.add((float) nodes.get(n).cover());
                if (nodes.get(n) instanceof TreeEnsemble.Split s) {
                    featureIds.add((long) s.feature());
                    modes.add(bytes(s.mode().name()));
                    values.add(s.threshold());
                    trueIds.add((long) s.trueChild());
                    falseIds.add((long) s.falseChild());
                    missingTrue.add(s.missingTracksTrue() ? 1L : 0L);
                } else {
                    TreeEnsemble.Leaf leaf = (TreeEnsemble.Leaf) nodes.get(n);
                    featureIds.add(0L);
                    modes.add(leafMode);
                    values.add(0f);
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missingTrue.add(0L);
                    for (int k = 0; k < leaf.classes().length; k++) {
                        classTreeIds.add((long) t);
                        classNodeIds.add((long) n);
                        classIds.add((long) leaf.classes()[k]);
                        classWeights.add((float) leaf.weights()[k]);
                    }
                }
            }
        }
        List<Long> labels = new ArrayList<>();
        for (long k = 0; k < ensemble.classCount(); k++) labels.add(k);

        NodeProto node = NodeProto.newBuilder()
                .setName("tree_ensemble").setOpType("TreeEnsembleClassifier").setDomain(ML_DOMAIN)
                .addInput(inputName).addOutput(LABEL_OUTPUT).addOutput(outputName)
                .addAttribute(ints("classlabels_int64s", labels))
                .addAttribute(ints("nodes_treeids", treeIds))
                .addAttribute(ints("nodes_nodeids", nodeIds))
                .addAttribute(ints("nodes_featureids", featureIds))
                .addAttribute(strings("nodes_modes", modes))
                .addAttribute(floats("nodes_values", values))
                .addAttribute(ints("nodes_truenodeids", trueIds))
                .addAttribute(ints("nodes_falsenodeids", falseIds))
                .addAttribute(ints("nodes_missing_value_tracks_true", missingTrue))
                .addAttribute(floats("nodes_hitrates", hitrates))
                .addAttribute(ints("class_treeids", classTreeIds))
                .addAttribute(ints("class_nodeids", classNodeIds))
                .addAttribute(ints("class_ids", classIds))
                .addAttribute(floats("class_weights", classWeights))
                .addAttribute(AttributeProto.newBuilder().setName("post_transform").setType(AttributeType.STRING)
                        .setS(bytes(ensemble.postTransform().name())))
                .build();
        GraphProto graph = GraphProto.newBuilder()
                .setName("candor_tree_ensemble")
                .addNode(node)
                .addInput(OnnxGraphs.floatMatrix(inputName, ensemble.featureCount()))
                .addOutput(OnnxGraphs.floatMatrix(outputName, ensemble.classCount()))
                .build();
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(DEFAULT_OPSET))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(ML_OPSET))
                .setProducerName(producer)
                .setGraph(graph)
                .build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    private static AttributeProto ints(String name, List<Long> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS).addAllInts(values).build();
    }

    private static AttributeProto floats(String name, List<Float> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS).addAllFloats(values).build();
    }

    private static AttributeProto strings(String name, List<ByteString> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRINGS).addAllStrings(values).build();
    }
}
