package dev.candor.stages.explain;

import dev.candor.stages.data.Split;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import java.util.HashSet;
import java.util.List;

/** Configuration of {@code explain.lime}. */
@Doc("Explains a model's predictions row by row with LIME surrogates and reports their fidelity")
public record LimeConfig(
        @Doc("The split whose rows are explained: test (default), validation or train") Split split,
        @Doc("The most rows to explain (default 100); a larger split is sampled with the stage seed") Integer rows,
        @Doc("Perturbed rows the model scores per explanation (default 5000)") Integer samples,
        @Doc("The kernel width in standard deviations (default 0: 0.75 × √features, as the reference LIME)") Double kernelWidth,
        @Doc("Train rows used for the features' spread (default 10000); more are sampled with the stage seed") Integer trainingRows,
        @Doc("The classes to explain (default: all the model's classes)") List<String> classes,
        @Doc("Top features listed per row (default 5)") Integer top) {

    public static final int DEFAULT_ROWS = 100;
    public static final int MAX_ROWS = 1_000_000;
    public static final int DEFAULT_SAMPLES = 5000;
    public static final int MAX_SAMPLES = 1_000_000;
    public static final int DEFAULT_TRAINING_ROWS = 10_000;
    public static final int MAX_TRAINING_ROWS = 1_000_000;
    public static final int DEFAULT_TOP = 5;
    public static final int MAX_TOP = 1000;

    /** The narrowest kernel, in standard deviations: the weight exp(−d²/w²) of a row one deviation away is then 0. */
    public static final double MIN_KERNEL_WIDTH = 1e-6;

    public LimeConfig {
        split = split == null ? Split.TEST : split;
        rows = rows == null ? DEFAULT_ROWS : rows;
        range("rows", rows, 1, MAX_ROWS);
        samples = samples == null ? DEFAULT_SAMPLES : samples;
        range("samples", samples, 2, MAX_SAMPLES);
        kernelWidth = kernelWidth == null ? 0.0 : kernelWidth;
        if (!(kernelWidth >= 0) || Double.isInfinite(kernelWidth)) {
            throw new ConfigException("kernel_width", "must be a finite number >= 0 (0 = automatic), got " + kernelWidth);
        }
        if (kernelWidth > 0 && kernelWidth < MIN_KERNEL_WIDTH) {
            // Found by the fuzzer (issue 9): 1e-300 squared is 0, the kernel's weights NaN, and the surrogate's
            // system singular (exit 1). Far above that, a width this small already weighs every perturbation 0.
            throw new ConfigException("kernel_width", "must be 0 (automatic) or at least " + MIN_KERNEL_WIDTH
                    + " standard deviations, got " + kernelWidth + "; a narrower kernel gives every perturbed row the"
                    + " weight 0");
        }
        trainingRows = trainingRows == null ? DEFAULT_TRAINING_ROWS : trainingRows;
        range("training_rows", trainingRows, 2, MAX_TRAINING_ROWS);
        classes = classes == null ? List.of() : List.copyOf(classes);
        if (new HashSet<>(classes).size() != classes.size()) {
            throw new ConfigException("classes", "lists a class twice: " + classes + "; name each class once");
        }
        for (String c : classes) {
            if (c.isBlank()) throw new ConfigException("classes", "holds a blank name; name the model's classes");
        }
        top = top == null ? DEFAULT_TOP : top;
        range("top", top, 1, MAX_TOP);
    }

    /** Every key at its default. */
    public static LimeConfig defaults() {
        return new LimeConfig(null, null, null, null, null, null, null);
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
