package dev.candor.explain.fairness;

import dev.candor.explain.metrics.Interval;

/**
 * A point value with its bootstrap interval.
 *
 * @param value    the value on the full data; NaN when undefined
 * @param interval the percentile bootstrap interval (see {@link GroupFairness}); NaN bounds when no resample gave
 *                 a defined value
 * @param note     why the value is NaN, or empty when it is defined
 */
public record Estimate(double value, Interval interval, String note) {

    /** Whether the value is a number. */
    public boolean defined() {
        return !Double.isNaN(value);
    }
}
