package dev.candor.explain.metrics;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Percentile bootstrap confidence intervals of the headline metrics (Efron &amp; Tibshirani 1993, ch. 13).
 *
 * @param resamples  the number of resamples drawn (B)
 * @param confidence the confidence level, e.g. 0.95
 * @param intervals  one interval per headline metric
 */
public record BootstrapIntervals(int resamples, double confidence, Map<Metric, Interval> intervals) {
    public BootstrapIntervals {
        EnumMap<Metric, Interval> copy = new EnumMap<>(Metric.class);
        copy.putAll(intervals);
        intervals = Collections.unmodifiableMap(copy);
    }

    public Interval interval(Metric metric) {
        Interval i = intervals.get(metric);
        if (i == null) throw new IllegalArgumentException("no interval for " + metric.key() + "; have " + intervals.keySet());
        return i;
    }
}
