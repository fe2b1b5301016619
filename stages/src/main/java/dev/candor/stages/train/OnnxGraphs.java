package dev.candor.stages.train;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Map;

/** Small edits of ONNX graphs: renaming a value, reordering output columns, replacing metadata. */
final class OnnxGraphs {
    private OnnxGraphs() {
    }

    /** A float tensor of shape [N, cols], N symbolic. */
    static ValueInfoProto floatMatrix(String name, long cols) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(cols))
                .build();
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    /** Renames value {@code from} to {@code to} everywhere in the graph (inputs, outputs, node edges, initializers). */
    static ModelProto renameValue(ModelProto model, String from, String to) {
        if (from.equals(to)) return model;
        GraphProto.Builder g = model.getGraph().toBuilder();
        for (int i = 0; i < g.getInputCount(); i++) {
            if (g.getInput(i).getName().equals(from)) g.setInput(i, g.getInput(i).toBuilder().setName(to));
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            if (g.getOutput(i).getName().equals(from)) g.setOutput(i, g.getOutput(i).toBuilder().setName(to));
        }
        for (int i = 0; i < g.getValueInfoCount(); i++) {
            if (g.getValueInfo(i).getName().equals(from)) g.setValueInfo(i, g.getValueInfo(i).toBuilder().setName(to));
        }
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals(from)) g.setInitializer(i, g.getInitializer(i).toBuilder().setName(to));
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto.Builder n = g.getNode(i).toBuilder();
            for (int j = 0; j < n.getInputCount(); j++) if (n.getInput(j).equals(from)) n.setInput(j, to);
            for (int j = 0; j < n.getOutputCount(); j++) if (n.getOutput(j).equals(from)) n.setOutput(j, to);
            g.setNode(i, n);
        }
        return model.toBuilder().setGraph(g).build();
    }

    /**
     * Replaces graph output {@code output} ([N, C] floats) by {@code newOutput} whose column {@code j} is column
     * {@code order[j]} of the old one (an ONNX {@code Gather} on axis 1).
     */
    static ModelProto reorderColumns(ModelProto model, String output, int[] order, String newOutput) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        int at = -1;
        for (int i = 0; i < g.getOutputCount(); i++) if (g.getOutput(i).getName().equals(output)) at = i;
        if (at < 0) throw new IllegalStateException("the ONNX graph has no output '" + output + "'");
        String indices = newOutput + "_column_order";
        TensorProto.Builder idx = TensorProto.newBuilder().setName(indices)
                .setDataType(TensorProto.DataType.INT64_VALUE).addDims(order.length);
        for (int o : order) idx.addInt64Data(o);
        g.addInitializer(idx);
        g.addNode(NodeProto.newBuilder().setName(newOutput + "_reorder").setOpType("Gather")
                .addInput(output).addInput(indices).addOutput(newOutput)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)));
        g.setOutput(at, floatMatrix(newOutput, order.length));
        return model.toBuilder().setGraph(g).build();
    }

    /** The model with exactly these {@code metadata_props}, in this order (earlier ones are dropped). */
    static ModelProto withMetadata(ModelProto model, Map<String, String> properties) {
        ModelProto.Builder b = model.toBuilder().clearMetadataProps();
        properties.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return b.build();
    }
}
