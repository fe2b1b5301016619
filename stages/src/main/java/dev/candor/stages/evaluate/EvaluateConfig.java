package dev.candor.stages.evaluate;

import dev.candor.stages.data.Split;
import dev.candor.stages.spi.Doc;

/** Configuration of {@code evaluate}. */
@Doc("Scores a dataset split through the ONNX model and records classification metrics")
public record EvaluateConfig(
        @Doc("The split to score: test (default), validation or train") Split split,
        @Doc("The positive class for binary metrics (ROC AUC, precision, recall); default: the less frequent class") String positiveClass,
        @Doc("Rows per ONNX Runtime call (default 256)") Integer batch,
        @Doc("Bootstrap resamples for confidence intervals (default 1000; 0 turns them off)") Integer bootstrap,
        @Doc("Confidence level of the intervals (default 0.95)") Double confidence) {
}
