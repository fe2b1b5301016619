package dev.candor.pipeline.gate;

import dev.candor.registry.MetricView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The results a gate may read: per stage, the metrics it recorded with no slice. A name recorded on several splits
 * resolves to the stage's primary split: {@code test}, else {@code validation}, else {@code train}, else the metric
 * with no split (so a name recorded on one split only is read from that split).
 */
public final class RecordedResults {
    /** The split order a result is read from. */
    public static final List<String> SPLIT_PREFERENCE = List.of("test", "validation", "train");
    private static final int NAMES_SHOWN = 15;

    private final Map<String, Map<String, Map<String, Double>>> byStage = new LinkedHashMap<>();

    /** @param metrics a run's metrics, as {@code RunDetail.metrics()} lists them (cached stages carry copies) */
    public RecordedResults(List<MetricView> metrics) {
        for (MetricView m : metrics) {
            if (m.slice() != null) continue;
            byStage.computeIfAbsent(m.stageId(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(m.name(), k -> new LinkedHashMap<>())
                    .putIfAbsent(m.split() == null ? "" : m.split(), m.value());
        }
    }

    /** The value of {@code name} recorded by {@code stageId}, if it recorded one that is a number. */
    public Optional<Double> value(String stageId, String name) {
        Map<String, Double> splits = byStage.getOrDefault(stageId, Map.of()).get(name);
        if (splits == null) return Optional.empty();
        List<String> order = new ArrayList<>(SPLIT_PREFERENCE);
        order.add("");
        for (String split : order) {
            Double v = splits.get(split);
            if (v != null) return Double.isNaN(v) ? Optional.empty() : Optional.of(v);
        }
        return splits.values().stream().filter(v -> !Double.isNaN(v)).findFirst();
    }

    /** Why {@code stageId.name} has no value, and what the stage recorded instead, for a person. */
    public String whyMissing(String stageId, String name) {
        Map<String, Map<String, Double>> names = byStage.getOrDefault(stageId, Map.of());
        if (names.containsKey(name)) {
            return stageId + "." + name + " is not a number (NaN) in this run";
        }
        if (names.isEmpty()) {
            return stageId + "." + name + " is missing: stage '" + stageId + "' recorded no results in this run";
        }
        Set<String> shown = new LinkedHashSet<>(names.keySet().stream().sorted().limit(NAMES_SHOWN).toList());
        return stageId + "." + name + " is missing: stage '" + stageId + "' did not record '" + name + "' in this run"
                + " (undefined for this data?); it recorded " + String.join(", ", shown)
                + (names.size() > NAMES_SHOWN ? " and " + (names.size() - NAMES_SHOWN) + " more" : "");
    }
}
