package dev.candor.stages.nn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The architecture of a {@code train.onnx} model as its YAML gave it (layers, loss, input shape), stored in the model
 * file's metadata so that gradient explanations can rebuild the layers' backward passes from the model alone.
 *
 * @param layers     the hidden layers as written, such as {@code dense 64 relu}
 * @param loss       the loss as written, such as {@code cross-entropy}
 * @param inputShape {@code [channels, height, width]} for convolutional models, empty for a flat vector
 */
public record NnArchitecture(List<String> layers, String loss, List<Integer> inputShape) {

    /** Metadata key of the layers (a JSON array of strings). */
    public static final String LAYERS = "candor.nn.layers";
    /** Metadata key of the loss. */
    public static final String LOSS = "candor.nn.loss";
    /** Metadata key of the input shape (a JSON array of integers; empty for a flat vector). */
    public static final String INPUT_SHAPE = "candor.nn.input_shape";

    private static final ObjectMapper JSON = new ObjectMapper();

    public NnArchitecture {
        layers = List.copyOf(layers);
        inputShape = List.copyOf(inputShape);
    }

    /** The architecture of a configured stage. */
    public static NnArchitecture of(OnnxTrainConfig config) {
        return new NnArchitecture(config.layers(), config.loss(), config.inputShape());
    }

    /** The metadata properties that record it. */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        try {
            p.put(LAYERS, JSON.writeValueAsString(layers));
            p.put(INPUT_SHAPE, JSON.writeValueAsString(inputShape));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a list of strings as JSON", e);
        }
        p.put(LOSS, loss);
        return p;
    }

    /**
     * Reads it back from a model's metadata, or nothing when the model was not trained by {@code train.onnx} (or by a
     * version that did not record it).
     *
     * @throws IllegalArgumentException when the keys are there but unreadable
     */
    public static Optional<NnArchitecture> fromProperties(Map<String, String> properties) {
        String layers = properties.get(LAYERS);
        String loss = properties.get(LOSS);
        if (layers == null || loss == null) return Optional.empty();
        try {
            List<String> layerList = JSON.readValue(layers, new TypeReference<List<String>>() { });
            String shape = properties.getOrDefault(INPUT_SHAPE, "[]");
            List<Integer> shapeList = JSON.readValue(shape, new TypeReference<List<Integer>>() { });
            return Optional.of(new NnArchitecture(layerList, loss, shapeList));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the model's " + LAYERS + " / " + INPUT_SHAPE + " metadata is not a JSON"
                    + " array: " + e.getOriginalMessage(), e);
        }
    }
}
