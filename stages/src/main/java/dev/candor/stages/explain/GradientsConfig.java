package dev.candor.stages.explain;

import dev.candor.stages.data.Split;
import dev.candor.stages.nn.NnArchitecture;
import dev.candor.stages.nn.OnnxTrainConfig;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LayerSpec;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Configuration of {@code explain.gradients}. */
@Doc("Explains a neural model's (train.onnx) predictions with Integrated Gradients and gradient × input saliency")
public record GradientsConfig(
        @Doc("The layers of the train.onnx stage that produced the model (default: the layers recorded in the model"
                + " file); checked against the model's outputs") List<String> layers,
        @Doc("The loss of that stage: cross-entropy, binary-cross-entropy or hinge (default: recorded in the model,"
                + " else cross-entropy)") String loss,
        @Doc("The input_shape of that stage, for conv models (default: recorded in the model, else a flat vector)")
        List<Integer> inputShape,
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
        // Absent (null) layers, loss and input_shape are read from the model file when the stage runs.
        if (layers != null) {
            layers = List.copyOf(layers);
            checkLayers(layers, "layers");
        }
        if (loss != null) checkLoss(loss, "loss");
        if (inputShape != null) {
            inputShape = List.copyOf(inputShape);
            OnnxTrainConfig.checkInputShape(inputShape, "input_shape");
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

    /**
     * The architecture to rebuild: the keys given here, and for those left out, what {@code train.onnx} recorded in
     * the model file.
     *
     * @param recorded the model's recorded architecture, if it has one
     * @param producer the stage that produced the model, for the error
     * @throws ConfigException when the layers are neither given nor recorded, or the recorded ones do not parse
     */
    public NnArchitecture architecture(Optional<NnArchitecture> recorded, String producer) {
        if (layers == null && recorded.isEmpty()) {
            throw new ConfigException("layers", "model '" + producer + "' does not record its layers (it was not"
                    + " trained by train.onnx, or by an older Candor); give the layers of the stage that produced it,"
                    + " e.g. [dense 64 relu, dropout 0.2] ([] for a linear model)");
        }
        List<String> l = layers != null ? layers : recorded.get().layers();
        String lo = loss != null ? loss : recorded.map(NnArchitecture::loss).orElse("cross-entropy");
        List<Integer> shape = inputShape != null ? inputShape : recorded.map(NnArchitecture::inputShape).orElse(List.of());
        String where = " (recorded in model '" + producer + "')";
        checkLayers(l, layers != null ? "layers" : "layers" + where);
        checkLoss(lo, loss != null ? "loss" : "loss" + where);
        OnnxTrainConfig.checkInputShape(shape, inputShape != null ? "input_shape" : "input_shape" + where);
        return new NnArchitecture(l, lo, shape);
    }

    /** The parsed layers of an architecture. */
    public static List<LayerSpec> layerSpecs(NnArchitecture architecture) {
        return LayerParser.parseAll(architecture.layers());
    }

    /** The parsed loss of an architecture. */
    public static LossSpec lossSpec(NnArchitecture architecture) {
        return LossSpec.of(LossSpec.parse(architecture.loss(), List.of()).kind());
    }

    private static void checkLayers(List<String> layers, String key) {
        try {
            LayerParser.parseAll(layers);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("layers", (key.equals("layers") ? "" : key + ": ") + e.getMessage());
        }
    }

    private static void checkLoss(String loss, String key) {
        LossSpec.Kind kind;
        try {
            kind = LossSpec.parse(loss, List.of()).kind();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("loss", (key.equals("loss") ? "" : key + ": ") + e.getMessage());
        }
        if (kind == LossSpec.Kind.MSE) {
            throw new ConfigException("loss", (key.equals("loss") ? "" : key + ": ") + "is mse, a regression;"
                    + " explain.gradients explains classifiers (cross-entropy, binary-cross-entropy or hinge)");
        }
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
