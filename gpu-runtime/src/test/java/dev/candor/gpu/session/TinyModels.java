package dev.candor.gpu.session;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Map;

/** Hand-built ONNX models with known weights, for tests against a hand computation. */
final class TinyModels {
    private TinyModels() {
    }

    /**
     * Multinomial logistic regression: {@code probs = Softmax(X · W + b)} over a [N, d] input "features", with the
     * logits also exposed as output "logits".
     *
     * @param w d × k weights
     * @param b k biases
     */
    static byte[] softmaxRegression(float[][] w, float[] b, Map<String, String> metadata) {
        int d = w.length, k = b.length;
        TensorProto.Builder weights = TensorProto.newBuilder().setName("W")
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).addDims(d).addDims(k);
        for (float[] row : w) for (float v : row) weights.addFloatData(v);
        TensorProto.Builder bias = TensorProto.newBuilder().setName("B")
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).addDims(k);
        for (float v : b) bias.addFloatData(v);
        GraphProto graph = GraphProto.newBuilder().setName("softmax-regression")
                .addInitializer(weights).addInitializer(bias)
                .addInput(matrix("features", d))
                .addOutput(matrix("probs", k))
                .addOutput(matrix("logits", k))
                .addNode(NodeProto.newBuilder().setName("matmul").setOpType("MatMul").addInput("features").addInput("W").addOutput("xw"))
                .addNode(NodeProto.newBuilder().setName("add").setOpType("Add").addInput("xw").addInput("B").addOutput("logits"))
                .addNode(NodeProto.newBuilder().setName("softmax").setOpType("Softmax").addInput("logits").addOutput("probs")
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)))
                .build();
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(8).setProducerName("candor-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph);
        metadata.forEach((key, value) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build().toByteArray();
    }

    /** A float tensor [N, width] with a symbolic batch dimension. */
    static ValueInfoProto matrix(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }

    /** softmax(x · W + b) in double precision: the reference the tests compare with. */
    static double[] reference(float[][] w, float[] b, float[] x) {
        int k = b.length;
        double[] z = new double[k];
        for (int c = 0; c < k; c++) {
            double s = b[c];
            for (int j = 0; j < x.length; j++) s += (double) x[j] * w[j][c];
            z[c] = s;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double sum = 0;
        for (int c = 0; c < k; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < k; c++) z[c] /= sum;
        return z;
    }
}
