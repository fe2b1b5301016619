package dev.candor.registry;

/**
 * A metric, for display.
 *
 * @param stageId the stage that reported it (for a cached stage: the stage of this run that reused it)
 * @param name    such as {@code roc_auc}
 * @param value   its value
 * @param split   the split, or null
 * @param slice   the slice, or null for the whole split
 */
public record MetricView(String stageId, String name, double value, String split, String slice) {
}
