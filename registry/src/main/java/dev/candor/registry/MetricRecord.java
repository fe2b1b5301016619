package dev.candor.registry;

/**
 * A number a stage reported.
 *
 * @param name  such as {@code roc_auc}
 * @param value a finite number (leave an undefined metric out rather than record NaN)
 * @param split {@code test}, {@code validation}, {@code train}, or null
 * @param slice a sub-population or cell, or null for the whole split
 */
public record MetricRecord(String name, double value, String split, String slice) {
    public MetricRecord {
        Require.text(name, "MetricRecord.name");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("metric '" + name + "' is " + value
                    + "; expected a finite number (leave out a metric that is undefined for this data)");
        }
    }
}
