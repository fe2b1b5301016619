package dev.candor.stages.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.candor.stages.model.FeatureEncoder;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.common.xgboost.XGBoostModel;
import org.tribuo.ensemble.WeightedEnsembleModel;

/**
 * Exports a trained Tribuo classifier to ONNX with input {@value TribuoTrainStage#INPUT_NAME} [N, F] (Tribuo's
 * feature-id order) and output {@value TribuoTrainStage#OUTPUT_NAME} [N, C] (the dataset's class order).
 *
 * <ul>
 *   <li>logistic regression: Tribuo's own export ({@code LinearSGDModel} is {@code ONNXExportable}), with its input
 *       renamed and a {@code Gather} that puts the columns from Tribuo's label-id order into class order;</li>
 *   <li>CART, random forest and XGBoost: Tribuo 4.3.2 cannot export them, so {@link TribuoTrees} /
 *       {@link XGBoostTrees} read the trained trees and {@link TreeEnsembleOnnx} writes an ONNX-ML
 *       {@code TreeEnsembleClassifier}. Before it is returned, the ensemble is evaluated in Java on every training
 *       row and must match Tribuo's probabilities to {@link TribuoTrainStage#EXPORT_TOLERANCE}; otherwise the stage
 *       fails rather than write a model that says something else than the one trained.</li>
 * </ul>
 */
final class OnnxExport {
    static final String TRIBUO_EXPORTER = "tribuo";
    static final String TREE_EXPORTER = "candor-tree-ensemble";
    private static final String DOMAIN = "dev.candor";

    /** The exported graph, which exporter made it, and its size in trees and nodes (0 for linear models). */
    record Result(ModelProto model, String exporter, int trees, int nodes) {
    }

    private OnnxExport() {
    }

    @SuppressWarnings("unchecked")
    static Result export(Algorithm algorithm, Model<Label> model, FeatureEncoder encoder, List<String> classes,
                         int[] classOfLabelId, float[][] trainRows, List<Prediction<Label>> predictions) {
        Map<String, Integer> featureIndex = TribuoTrainStage.indexOf(encoder.names());
        Map<String, Integer> classIndex = TribuoTrainStage.indexOf(classes);
        String producer = "Candor (Tribuo " + Tribuo.VERSION + ")";
        TreeEnsemble ensemble;
        switch (algorithm) {
            case LOGISTIC_REGRESSION -> {
                if (!(model instanceof ONNXExportable exportable)) {
                    throw new IllegalStateException("cannot export " + model.getClass().getName()
                            + " to ONNX: Tribuo offers no export for it");
                }
                return new Result(linear(exportable, classes, classOfLabelId, producer), TRIBUO_EXPORTER, 0, 0);
            }
            case CART -> ensemble = TribuoTrees.fromCart((TreeModel<Label>) model, featureIndex, classIndex, trainRows);
            case RANDOM_FOREST -> ensemble = TribuoTrees.fromForest((WeightedEnsembleModel<Label>) model, featureIndex,
                    classIndex, trainRows);
            case XGBOOST -> {
                // XGBoost's columns are Tribuo's feature ids, which the encoder's order already follows.
                int[] identity = new int[encoder.width()];
                for (int f = 0; f < identity.length; f++) identity[f] = f;
                ensemble = XGBoostTrees.from((XGBoostModel<Label>) model, identity, classOfLabelId);
            }
            default -> throw new IllegalStateException("no ONNX export for " + algorithm.label());
        }
        check(algorithm, ensemble, classes, trainRows, predictions);
        ModelProto proto = TreeEnsembleOnnx.write(ensemble, TribuoTrainStage.INPUT_NAME, TribuoTrainStage.OUTPUT_NAME, producer)
                .toBuilder().setDomain(DOMAIN).setModelVersion(1).setProducerVersion(Tribuo.VERSION).build();
        return new Result(proto, TREE_EXPORTER, ensemble.trees().size(), ensemble.nodeCount());
    }

    private static ModelProto linear(ONNXExportable model, List<String> classes, int[] classOfLabelId, String producer) {
        ModelProto proto = model.exportONNXModel(DOMAIN, 1);
        if (proto.getGraph().getInputCount() != 1 || proto.getGraph().getOutputCount() != 1) {
            throw new IllegalStateException("Tribuo's ONNX export has " + proto.getGraph().getInputCount() + " inputs and "
                    + proto.getGraph().getOutputCount() + " outputs; expected one of each");
        }
        proto = OnnxGraphs.renameValue(proto, proto.getGraph().getInput(0).getName(), TribuoTrainStage.INPUT_NAME);
        int[] order = new int[classes.size()];
        for (int id = 0; id < classOfLabelId.length; id++) order[classOfLabelId[id]] = id;
        proto = OnnxGraphs.reorderColumns(proto, proto.getGraph().getOutput(0).getName(), order, TribuoTrainStage.OUTPUT_NAME);
        // Tribuo's provenance (in metadata_props and doc_string) holds timestamps and host names: the same seed must
        // give the same bytes, so it is replaced by Candor's metadata (which records the trainer and its settings).
        return proto.toBuilder().clearDocString().setProducerName(producer).build();
    }

    /** Fails when the ensemble's probabilities differ from Tribuo's on a training row by more than the tolerance. */
    private static void check(Algorithm algorithm, TreeEnsemble ensemble, List<String> classes, float[][] rows,
                              List<Prediction<Label>> predictions) {
        double worst = 0;
        int worstRow = -1;
        for (int r = 0; r < rows.length; r++) {
            double[] p = ensemble.predict(rows[r]);
            Map<String, Label> scores = predictions.get(r).getOutputScores();
            for (int k = 0; k < classes.size(); k++) {
                Label l = scores.get(classes.get(k));
                double d = Math.abs(p[k] - (l == null ? 0 : l.getScore()));
                if (d > worst) {
                    worst = d;
                    worstRow = r;
                }
            }
        }
        if (worst > TribuoTrainStage.EXPORT_TOLERANCE) {
            throw new IllegalStateException("cannot export the " + algorithm.label() + " model to ONNX faithfully: the "
                    + "exported trees give probabilities that differ from Tribuo's by " + worst + " on training row "
                    + (worstRow + 1) + " (tolerance " + TribuoTrainStage.EXPORT_TOLERANCE + "); no model was written");
        }
    }
}
