package dev.candor.stages.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Candor writes into every ONNX model's {@code metadata_props}, so an exported file explains itself: which
 * inputs it takes and how to compute them, which classes its probability output is ordered by, what trained it and
 * on which data.
 *
 * <p>Contract of every model artifact ({@code model.onnx} in the artifact directory): one float input of shape
 * [N, features.size()] named {@link #inputName}, and one float output of shape [N, labels.size()] named
 * {@link #probabilitiesOutput} holding class probabilities in {@link #labels} order (other outputs may exist).
 *
 * @param modelType            e.g. {@code logistic-regression}, {@code cart}, {@code random-forest}, {@code xgboost}
 * @param inputName            the ONNX input to feed
 * @param probabilitiesOutput  the ONNX output that holds class probabilities
 * @param labels               class names in output order
 * @param encoder              how to turn dataset rows into the input
 * @param trainingDataSha256   the content hash of the dataset artifact trained on
 * @param trainer              a description of the trainer and its hyperparameters (provenance)
 */
public record ModelMetadata(String modelType, String inputName, String probabilitiesOutput, List<String> labels,
                            FeatureEncoder encoder, String trainingDataSha256, String trainer) {
    public static final String MODEL_FILE = "model.onnx";
    public static final String MODEL_TYPE = "candor.model_type";
    public static final String INPUT = "candor.input";
    public static final String PROBABILITIES = "candor.probabilities_output";
    public static final String LABELS = "candor.labels";
    public static final String FEATURES = "candor.features";
    public static final String PREPROCESSING = "candor.preprocessing";
    public static final String TRAINING_DATA = "candor.training_data_sha256";
    public static final String TRAINER = "candor.trainer";

    /**
     * JSON in ASCII, non-ASCII characters escaped ({@code \\uD83D\\uDE00}): ONNX Runtime's Java API hands metadata
     * values over JNI as modified UTF-8, which mangles characters outside the BMP, so a class or category holding an
     * emoji made the labels unreadable (found by the fuzzer, issue 9: "not valid JSON", exit 1).
     */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).build();

    public ModelMetadata {
        labels = List.copyOf(labels);
        if (labels.size() < 2) throw new IllegalArgumentException("a classifier needs at least two labels, got " + labels);
    }

    /** The key/value pairs for ONNX {@code metadata_props}. */
    public Map<String, String> toProperties() {
        try {
            Map<String, String> p = new LinkedHashMap<>();
            p.put(MODEL_TYPE, modelType);
            p.put(INPUT, inputName);
            p.put(PROBABILITIES, probabilitiesOutput);
            p.put(LABELS, JSON.writeValueAsString(labels));
            p.put(FEATURES, JSON.writeValueAsString(encoder.names()));
            p.put(PREPROCESSING, JSON.writeValueAsString(encoder));
            p.put(TRAINING_DATA, trainingDataSha256 == null ? "" : trainingDataSha256);
            p.put(TRAINER, trainer == null ? "" : trainer);
            return p;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the metadata back from ONNX {@code metadata_props} (as ONNX Runtime's {@code OnnxModelMetadata} gives them). */
    public static ModelMetadata fromProperties(Map<String, String> p) {
        for (String key : List.of(MODEL_TYPE, INPUT, PROBABILITIES, LABELS, PREPROCESSING)) {
            if (!p.containsKey(key)) {
                throw new IllegalArgumentException("not a Candor model: its ONNX metadata has no '" + key
                        + "' (keys present: " + p.keySet() + ")");
            }
        }
        try {
            return new ModelMetadata(p.get(MODEL_TYPE), p.get(INPUT), p.get(PROBABILITIES),
                    JSON.readValue(p.get(LABELS), new TypeReference<List<String>>() { }),
                    JSON.readValue(p.get(PREPROCESSING), FeatureEncoder.class),
                    p.getOrDefault(TRAINING_DATA, ""), p.getOrDefault(TRAINER, ""));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the model's Candor metadata is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
