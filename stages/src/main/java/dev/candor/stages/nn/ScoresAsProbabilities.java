package dev.candor.stages.nn;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * Turns an MSE model's raw outputs into the probabilities every Candor model artifact must give:
 * {@code p = max(z, 1e-6) / sum_k max(z_k, 1e-6)}. An MSE network regresses the one-hot targets, so its outputs
 * approximate probabilities without being any; flooring and normalizing keeps the arg-max of every row whose largest
 * output is above 1e-6 (no ceiling: clipping at 1 would tie rows whose outputs overshoot) and makes log loss and
 * Brier score defined.
 */
final class ScoresAsProbabilities {
    private static final String RAW = "mse_scores";
    private static final double FLOOR = 1e-6;

    private ScoresAsProbabilities() {
    }

    /** The model with {@code output} ([N, C] floats) recomputed as described above; the output keeps its name. */
    static ModelProto normalize(ModelProto model, String output) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        boolean produced = false;
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto.Builder n = g.getNode(i).toBuilder();
            for (int j = 0; j < n.getInputCount(); j++) if (n.getInput(j).equals(output)) n.setInput(j, RAW);
            for (int j = 0; j < n.getOutputCount(); j++) {
                if (n.getOutput(j).equals(output)) {
                    n.setOutput(j, RAW);
                    produced = true;
                }
            }
            g.setNode(i, n);
        }
        if (!produced) throw new IllegalStateException("no node of the inference graph produces '" + output + "'");
        g.addInitializer(scalar("mse_floor", FLOOR));
        g.addInitializer(TensorProto.newBuilder().setName("mse_axes").setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(1).addInt64Data(1));
        g.addNode(NodeProto.newBuilder().setName("mse_max").setOpType("Max")
                .addInput(RAW).addInput("mse_floor").addOutput("mse_clipped"));
        g.addNode(NodeProto.newBuilder().setName("mse_total").setOpType("ReduceSum")
                .addInput("mse_clipped").addInput("mse_axes").addOutput("mse_total")
                .addAttribute(AttributeProto.newBuilder().setName("keepdims").setType(AttributeProto.AttributeType.INT).setI(1)));
        g.addNode(NodeProto.newBuilder().setName("mse_normalize").setOpType("Div")
                .addInput("mse_clipped").addInput("mse_total").addOutput(output));
        return model.toBuilder().setGraph(g).build();
    }

    private static TensorProto scalar(String name, double value) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData((float) value).build();
    }
}
