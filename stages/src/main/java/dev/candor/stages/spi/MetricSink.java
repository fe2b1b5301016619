package dev.candor.stages.spi;

/** Where a stage records numbers for the registry. Thread-safe. */
public interface MetricSink {
    /**
     * @param name  metric name, such as {@code roc_auc}
     * @param value its value
     * @param split the data split it was measured on ({@code test}, {@code validation}, {@code train}), or null
     * @param slice a sub-population or cell ({@code actual=malignant,predicted=benign}), or null for the whole split
     */
    void record(String name, double value, String split, String slice);

    default void record(String name, double value, String split) {
        record(name, value, split, null);
    }
}
