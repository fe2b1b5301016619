package dev.candor.stages.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a written model.onnx in a real ONNX Runtime session. */
final class OnnxCheck implements AutoCloseable {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    final OrtSession session;

    OnnxCheck(Path model) throws OrtException {
        session = ENV.createSession(model.toString(), new OrtSession.SessionOptions());
    }

    ModelMetadata metadata() throws OrtException {
        return ModelMetadata.fromProperties(customMetadata());
    }

    Map<String, String> customMetadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    /** Rows encoded with {@code encoder}, as a consumer of the file would encode them. */
    static float[][] encode(FeatureEncoder encoder, DatasetSchema schema, List<DatasetRow> rows) {
        return TribuoTrainStage.encode(encoder, schema, rows);
    }

    float[][] probabilities(String input, String output, float[][] x) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(ENV, x);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            return (float[][]) r.get(output).orElseThrow().getValue();
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
