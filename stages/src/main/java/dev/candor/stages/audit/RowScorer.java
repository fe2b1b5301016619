package dev.candor.stages.audit;

import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import java.nio.file.Path;
import java.util.List;

/**
 * Scores rows held in memory through a Candor ONNX model, in batches, in the calling thread: for audits that score
 * a bounded sample (evaluate scores whole splits through Beam instead). Encodes with the model's own
 * {@link FeatureEncoder}, as every consumer of the model must.
 */
public final class RowScorer {
    /** Rows per ONNX Runtime call. */
    public static final int BATCH = 256;

    private RowScorer() {
    }

    /**
     * The class probabilities of each row, in the model's label order.
     *
     * @param modelFile the {@code model.onnx}
     */
    public static double[][] probabilities(Path modelFile, Device device, ModelMetadata model, DatasetSchema schema,
                                           List<DatasetRow> rows) {
        FeatureEncoder encoder = model.encoder();
        int[] columns = encoder.columnIndexes(schema);
        int width = encoder.width(), k = model.labels().size();
        double[][] out = new double[rows.size()][k];
        try (OnnxPredictor predictor = OnnxPredictor.open(modelFile, new OnnxPredictor.Options(model.inputName(),
                model.probabilitiesOutput(), model.labels(), BATCH,
                SessionSettings.defaults().withDevice(device)))) {
            if (predictor.inputWidth() != width) {
                throw new IllegalStateException(modelFile + ": its metadata lists " + width + " features but its"
                        + " input '" + model.inputName() + "' takes " + predictor.inputWidth());
            }
            // OnnxPredictor cuts the rows into batches of BATCH itself.
            float[] features = new float[rows.size() * width];
            float[] encoded = new float[width];
            for (int i = 0; i < rows.size(); i++) {
                encoder.encode(rows.get(i).values(), columns, encoded);
                System.arraycopy(encoded, 0, features, i * width, width);
            }
            float[] probabilities = new float[rows.size() * k];
            predictor.predict(features, rows.size(), probabilities);
            for (int i = 0; i < rows.size(); i++) {
                for (int c = 0; c < k; c++) out[i][c] = probabilities[i * k + c];
            }
        }
        return out;
    }
}
