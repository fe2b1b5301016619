package dev.candor.stages.evaluate;

import dev.candor.stages.data.Split;
import dev.candor.stages.fairness.FairnessConfig;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;

/** Configuration of {@code evaluate}. */
@Doc("Scores a dataset split through the ONNX model and records classification metrics")
public record EvaluateConfig(
        @Doc("The split to score: test (default), validation or train") Split split,
        @Doc("The positive class for binary metrics (ROC AUC, precision, recall); default: the less frequent class") String positiveClass,
        @Doc("Rows per ONNX Runtime call (default 256)") Integer batch,
        @Doc("Bootstrap resamples for confidence intervals (default 1000; 0 turns them off)") Integer bootstrap,
        @Doc("Confidence level of the intervals (default 0.95)") Double confidence,
        @Doc("Group fairness over the dataset's protected attributes (measured whenever it has some)") FairnessConfig fairness) {

    public static final int DEFAULT_BATCH = 256;
    public static final int MAX_BATCH = 1_000_000;
    public static final int DEFAULT_BOOTSTRAP = 1000;
    public static final int MAX_BOOTSTRAP = 100_000;
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public EvaluateConfig {
        split = split == null ? Split.TEST : split;
        if (positiveClass != null && positiveClass.isBlank()) {
            throw new ConfigException("positive_class", "is blank: name one of the model's classes, or leave the key"
                    + " out to use the less frequent class of the split");
        }
        batch = batch == null ? DEFAULT_BATCH : batch;
        if (batch < 1 || batch > MAX_BATCH) {
            throw new ConfigException("batch", "must be in [1, " + MAX_BATCH + "], got " + batch);
        }
        bootstrap = bootstrap == null ? DEFAULT_BOOTSTRAP : bootstrap;
        if (bootstrap < 0 || bootstrap > MAX_BOOTSTRAP) {
            throw new ConfigException("bootstrap", "must be in [0, " + MAX_BOOTSTRAP + "] (0 turns intervals off), got "
                    + bootstrap);
        }
        confidence = confidence == null ? DEFAULT_CONFIDENCE : confidence;
        if (!(confidence > 0 && confidence < 1)) {
            throw new ConfigException("confidence", "must be in (0, 1), e.g. 0.95, got " + confidence);
        }
        fairness = fairness == null ? FairnessConfig.defaults() : fairness;
    }

    /** Without a fairness block (fairness at its defaults). */
    public EvaluateConfig(Split split, String positiveClass, Integer batch, Integer bootstrap, Double confidence) {
        this(split, positiveClass, batch, bootstrap, confidence, null);
    }

    /** Every key at its default. */
    public static EvaluateConfig defaults() {
        return new EvaluateConfig(null, null, null, null, null);
    }
}
