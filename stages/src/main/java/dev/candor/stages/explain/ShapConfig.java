package dev.candor.stages.explain;

import dev.candor.stages.data.Split;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/** Configuration of {@code explain.shap}. */
@Doc("Explains a model's predictions row by row with SHAP values and summarizes them per feature and class")
public record ShapConfig(
        @Doc("The split whose rows are explained: test (default), validation or train") Split split,
        @Doc("The most rows to explain (default 200); a larger split is sampled with the stage seed") Integer rows,
        @Doc("kernel: background rows drawn from the train split (default 100)") Integer background,
        @Doc("kernel: how the background is summarized: sample (default) or kmeans (weighted centres)") BackgroundMethod backgroundMethod,
        @Doc("auto (default: tree for tree models, kernel otherwise), kernel or tree") Method method,
        @Doc("kernel: coalitions evaluated per row when there are more than 14 features (default 2 × features + 2048)") Integer samples,
        @Doc("The classes to explain (default: all the model's classes)") List<String> classes,
        @Doc("Top features per row recorded in the registry sample (default 5)") Integer top) {

    public static final int DEFAULT_ROWS = 200;
    public static final int MAX_ROWS = 1_000_000;
    public static final int DEFAULT_BACKGROUND = 100;
    public static final int MAX_BACKGROUND = 100_000;
    public static final int MAX_SAMPLES = 10_000_000;
    public static final int DEFAULT_TOP = 5;
    public static final int MAX_TOP = 1000;

    /** How KernelSHAP's background set is taken from the train split. */
    public enum BackgroundMethod {
        /** A seeded sample of rows, equally weighted. */
        SAMPLE,
        /** Weighted k-means centres, each coordinate snapped to a value its cluster holds. */
        KMEANS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which SHAP algorithm explains the rows. */
    public enum Method {
        /** Tree models get TreeSHAP, every other model KernelSHAP. */
        AUTO,
        /** KernelSHAP over the model's probabilities, with a background set: works for any model. */
        KERNEL,
        /** Path-dependent TreeSHAP over the ensemble's raw scores: tree models only. */
        TREE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ShapConfig {
        split = split == null ? Split.TEST : split;
        rows = rows == null ? DEFAULT_ROWS : rows;
        range("rows", rows, 1, MAX_ROWS);
        background = background == null ? DEFAULT_BACKGROUND : background;
        range("background", background, 1, MAX_BACKGROUND);
        backgroundMethod = backgroundMethod == null ? BackgroundMethod.SAMPLE : backgroundMethod;
        method = method == null ? Method.AUTO : method;
        // 0 stands for the library's automatic budget; an explicit budget is checked against the players at run time.
        samples = samples == null ? 0 : samples;
        if (samples != 0) range("samples", samples, 2, MAX_SAMPLES);
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
    public static ShapConfig defaults() {
        return new ShapConfig(null, null, null, null, null, null, null, null);
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
