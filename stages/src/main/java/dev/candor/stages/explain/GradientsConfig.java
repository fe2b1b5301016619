package dev.candor.stages.explain;

import dev.candor.stages.data.Split;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LayerSpec;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Required;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/** Configuration of {@code explain.gradients}. */
@Doc("Explains a neural model's (train.onnx) predictions with Integrated Gradients and gradient × input saliency")
public record GradientsConfig(
        @Required @Doc("The layers of the train.onnx stage that produced the model, as given there; checked against the"
                + " model's parameters and outputs") List<String> layers,
        @Doc("The loss of that stage: cross-entropy (default), binary-cross-entropy or hinge") String loss,
        @Doc("The input_shape of that stage, for conv models (default: a flat vector)") List<Integer> inputShape,
        @Doc("The split whose rows are explained: test (default), validation or train") Split split,
        @Doc("The most rows to explain (default 100); a larger split is sampled with the stage seed") Integer rows,
        @Doc("Intervals of the Integrated Gradients path (default 64, trapezoid rule)") Integer steps,
        @Doc("The path's start: mean (default: the train rows' mean) or zeros") Baseline baseline,
        @Doc("The classes to explain (default: all the model's classes)") List<String> classes,
        @Doc("Top features listed per row (default 5)") Integer top) {

    public static final int DEFAULT_ROWS = 100;
    public static final int MAX_ROWS = 1_000_000;
    public static final int DEFAULT_STEPS = 64;
    public static final int MAX_STEPS = 100_000;
    public static final int DEFAULT_TOP = 5;

    /** Where the Integrated Gradients path starts. */
    public enum Baseline {
        /** The mean encoded train row: "an average case". */
        MEAN,
        /** All encoded features 0 (for standardized numeric features, the same as the mean). */
        ZEROS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public GradientsConfig {
        if (layers == null) {
            throw new ConfigException("layers", "is required: give the layers of the train.onnx stage that produced"
                    + " the model, e.g. [dense 64 relu, dropout 0.2] ([] for a linear model)");
        }
        layers = List.copyOf(layers);
        try {
            LayerParser.parseAll(layers);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("layers", e.getMessage());
        }
        loss = loss == null ? "cross-entropy" : loss;
        LossSpec.Kind kind;
        try {
            kind = LossSpec.parse(loss, List.of()).kind();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("loss", e.getMessage());
        }
        if (kind == LossSpec.Kind.MSE) {
            throw new ConfigException("loss", "is mse, a regression; explain.gradients explains classifiers (use"
                    + " cross-entropy, binary-cross-entropy or hinge)");
        }
        inputShape = inputShape == null ? List.of() : List.copyOf(inputShape);
        if (!inputShape.isEmpty() && (inputShape.size() != 3 || inputShape.stream().anyMatch(d -> d < 1))) {
            throw new ConfigException("input_shape", "must be [channels, height, width], each >= 1, got " + inputShape);
        }
        split = split == null ? Split.TEST : split;
        rows = rows == null ? DEFAULT_ROWS : rows;
        range("rows", rows, 1, MAX_ROWS);
        steps = steps == null ? DEFAULT_STEPS : steps;
        range("steps", steps, 1, MAX_STEPS);
        baseline = baseline == null ? Baseline.MEAN : baseline;
        classes = classes == null ? List.of() : List.copyOf(classes);
        if (new HashSet<>(classes).size() != classes.size()) {
            throw new ConfigException("classes", "lists a class twice: " + classes + "; name each class once");
        }
        top = top == null ? DEFAULT_TOP : top;
        range("top", top, 1, 1000);
    }

    /** The parsed layers. */
    public List<LayerSpec> layerSpecs() {
        return LayerParser.parseAll(layers);
    }

    /** The parsed loss. */
    public LossSpec lossSpec() {
        return LossSpec.of(LossSpec.parse(loss, List.of()).kind());
    }

    /** Every optional key at its default. */
    public static GradientsConfig of(List<String> layers) {
        return new GradientsConfig(layers, null, null, null, null, null, null, null, null);
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
