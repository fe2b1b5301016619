package dev.candor.explain.fairness;

import java.util.List;
import java.util.Map;

/**
 * The metrics of one group.
 *
 * @param group       the group name
 * @param size        its number of rows
 * @param judged      false when the group is smaller than the minimum group size: it is "too few to judge", has
 *                    no metrics and takes no part in the gaps
 * @param note        why the group is not judged, or empty
 * @param metrics     every {@link GroupMetric} with its estimate; all NaN, with the "too few to judge" note, when
 *                    the group is not judged
 * @param reliability the reliability bins on the full data; empty without scores or when not judged
 */
public record GroupReport(String group, int size, boolean judged, String note, Map<GroupMetric, Estimate> metrics,
                          List<ReliabilityBin> reliability) {

    public GroupReport {
        metrics = Map.copyOf(metrics);
        reliability = List.copyOf(reliability);
    }

    /** The estimate of one metric. */
    public Estimate metric(GroupMetric m) {
        return metrics.get(m);
    }
}
