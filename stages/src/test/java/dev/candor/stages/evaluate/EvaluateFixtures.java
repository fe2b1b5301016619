package dev.candor.stages.evaluate;

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
import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.model.EncodedFeature;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small dataset artifact and a hand-built ONNX model with known weights and Candor metadata, plus the same model
 * computed independently in double precision.
 */
final class EvaluateFixtures {
    static final List<String> CLASSES = List.of("benign", "malignant");
    static final FeatureEncoder ENCODER = new FeatureEncoder(List.of(
            EncodedFeature.standardized("radius", 14.0, 3.5),
            EncodedFeature.standardized("texture", 19.0, 4.0),
            EncodedFeature.oneHot("site", "left"),
            EncodedFeature.oneHot("site", "right")));
    /** Weights [feature][class]: benign's logit is 0, malignant's 1.2 r + 0.6 t + 0.3 left − 0.2 right − 0.5. */
    static final float[][] W = {{0f, 1.2f}, {0f, 0.6f}, {0f, 0.3f}, {0f, -0.2f}};
    static final float[] B = {0f, -0.5f};

    private EvaluateFixtures() {
    }

    static DatasetSchema schema(List<String> classes) {
        return new DatasetSchema("cells.csv", "abc123", List.of(
                new ColumnSchema("radius", ColumnType.NUMERIC, ColumnRole.FEATURE, false, List.of()),
                new ColumnSchema("texture", ColumnType.NUMERIC, ColumnRole.FEATURE, false, List.of()),
                new ColumnSchema("site", ColumnType.CATEGORICAL, ColumnRole.FEATURE, false, List.of("left", "right")),
                new ColumnSchema("sex", ColumnType.CATEGORICAL, ColumnRole.PROTECTED, false, List.of("f", "m")),
                new ColumnSchema("diagnosis", ColumnType.CATEGORICAL, ColumnRole.LABEL, false, classes)),
                "diagnosis", classes);
    }

    /**
     * {@code n} rows, about a third malignant, written in descending source-row order (so the stage has to sort);
     * source rows are 2, 5, 8, ...
     */
    static List<DatasetRow> rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<DatasetRow> rows = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            boolean malignant = r.nextDouble() < 0.35;
            double radius = 14 + 3.5 * (r.nextGaussian() + (malignant ? 1.0 : 0));
            double texture = 19 + 4 * (r.nextGaussian() + (malignant ? 0.5 : 0));
            String site = r.nextBoolean() ? "left" : "right";
            String sex = r.nextBoolean() ? "f" : "m";
            rows.add(new DatasetRow(2 + 3L * i, new Object[] {radius, texture, site, sex, malignant ? "malignant" : "benign"}));
        }
        return rows;
    }

    static Path dataset(Path dir, DatasetSchema schema, List<DatasetRow> rows) throws IOException {
        Files.createDirectories(dir);
        Datasets.writeSchema(dir, schema);
        Datasets.writeSplit(dir, schema, Split.TEST, rows);
        return dir;
    }

    static Path model(Path dir) throws IOException {
        Files.createDirectories(dir);
        ModelMetadata meta = new ModelMetadata("logistic-regression", "features", "probabilities", CLASSES, ENCODER,
                "abc123", "hand-written test weights");
        Files.write(dir.resolve(ModelMetadata.MODEL_FILE), onnx(meta));
        return dir;
    }

    /** Softmax(X · W + B) with the Candor metadata in {@code metadata_props}. */
    static byte[] onnx(ModelMetadata meta) {
        int d = W.length, k = B.length;
        TensorProto.Builder w = TensorProto.newBuilder().setName("W").setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addDims(d).addDims(k);
        for (float[] row : W) for (float v : row) w.addFloatData(v);
        TensorProto.Builder b = TensorProto.newBuilder().setName("B").setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addDims(k);
        for (float v : B) b.addFloatData(v);
        GraphProto graph = GraphProto.newBuilder().setName("lr").addInitializer(w).addInitializer(b)
                .addInput(matrix(meta.inputName(), d)).addOutput(matrix(meta.probabilitiesOutput(), k))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput(meta.inputName()).addInput("W").addOutput("xw"))
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("xw").addInput("B").addOutput("logits"))
                .addNode(NodeProto.newBuilder().setOpType("Softmax").addInput("logits").addOutput(meta.probabilitiesOutput())
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)))
                .build();
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("candor-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(graph);
        meta.toProperties().forEach((key, value) ->
                m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return m.build().toByteArray();
    }

    private static ValueInfoProto matrix(String name, int width) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(
                        TensorShapeProto.newBuilder()
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width)))))
                .build();
    }

    /** P(malignant) computed by hand in double precision: standardize, one-hot, logistic of the logit. */
    static double malignantProbability(DatasetRow row) {
        double r = ((Double) row.values()[0] - 14.0) / 3.5;
        double t = ((Double) row.values()[1] - 19.0) / 4.0;
        double left = "left".equals(row.values()[2]) ? 1 : 0;
        double right = "right".equals(row.values()[2]) ? 1 : 0;
        double z = 1.2 * r + 0.6 * t + 0.3 * left - 0.2 * right - 0.5;
        return 1 / (1 + Math.exp(-z));   // softmax of (0, z) = logistic(z)
    }
}
