package dev.candor.explain.metrics;

/**
 * A percentile bootstrap confidence interval.
 *
 * @param low       the lower bound: the {@code (1 - confidence) / 2} quantile of the resampled values
 * @param high      the upper bound: the {@code (1 + confidence) / 2} quantile
 * @param resamples how many resamples gave a defined value (ROC AUC is undefined on a resample holding one class
 *                  only; such resamples are left out). Both bounds are NaN when this is 0.
 */
public record Interval(double low, double high, int resamples) {
}
