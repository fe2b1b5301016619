package dev.candor.dashboard;

import dev.candor.registry.MetricView;
import dev.candor.registry.RunDetail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** A run's metrics by stage, in the registry's order, with the look-ups the page sections share. */
final class RunMetrics {
    private final Map<String, List<MetricView>> byStage = new LinkedHashMap<>();

    RunMetrics(RunDetail run) {
        for (MetricView m : run.metrics()) byStage.computeIfAbsent(m.stageId(), k -> new ArrayList<>()).add(m);
    }

    /** The stage's metrics (every split and slice), in the registry's order. */
    List<MetricView> of(String stageId) {
        return byStage.getOrDefault(stageId, List.of());
    }

    /** The stage's whole-split value of {@code name} (no slice), preferring split {@code test}, then any split. */
    OptionalDouble whole(String stageId, String name) {
        Optional<MetricView> test = of(stageId).stream()
                .filter(m -> m.slice() == null && m.name().equals(name) && "test".equals(m.split())).findFirst();
        return test.or(() -> of(stageId).stream().filter(m -> m.slice() == null && m.name().equals(name)).findFirst())
                .map(m -> OptionalDouble.of(m.value())).orElse(OptionalDouble.empty());
    }

    /** {@code whole(stageId, name)}, or {@code NaN} when the stage did not record it. */
    double wholeOrNaN(String stageId, String name) {
        return whole(stageId, name).orElse(Double.NaN);
    }

    /** The value of {@code name} on exactly this slice, or {@code NaN}. */
    double sliced(String stageId, String name, String slice) {
        return of(stageId).stream().filter(m -> m.name().equals(name) && slice.equals(m.slice()))
                .mapToDouble(MetricView::value).findFirst().orElse(Double.NaN);
    }

    /** A slice such as {@code feature=radius,class=malignant} as ordered key/value pairs; parts without '=' are skipped. */
    static Map<String, String> parseSlice(String slice) {
        Map<String, String> out = new LinkedHashMap<>();
        if (slice == null) return out;
        for (String part : slice.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) out.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return out;
    }

    /** "[low, high]" when both bounds are numbers, else blank. */
    static String interval(double low, double high) {
        return Double.isNaN(low) || Double.isNaN(high) ? "" : "[" + RunPage.format(low) + ", " + RunPage.format(high) + "]";
    }
}
