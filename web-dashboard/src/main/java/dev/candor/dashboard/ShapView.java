package dev.candor.dashboard;

import dev.candor.registry.MetricView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.StageRunView;
import io.quarkus.qute.RawString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One SHAP explanation stage as a reviewer reads it: global importance (mean |SHAP| per feature, slice
 * {@code feature=<f>,class=<c>}) for one class as a bar chart of the top features, and the sample of local
 * explanations the stage keeps in the registry ({@code shap_base}, {@code shap_prediction} with slice
 * {@code row=<r>,class=<c>}, and {@code shap_value} with {@code row=<r>,class=<c>,feature=<f>} for each row's top
 * features).
 *
 * @param stageId   the explaining stage
 * @param model     the stage whose model it explains, or blank when lineage does not say
 * @param className the class shown: the last one in name order, which is the positive class of a binary model
 *                  named the usual way (benign/malignant, no/yes, 0/1), and the one {@code explain.shap} summarises
 * @param features  how many features have an importance for that class
 * @param top       the bars, largest first
 * @param chart     the inline SVG bar chart of {@code top}
 * @param rows      local explanations, up to {@link #ROWS_SHOWN}
 */
public record ShapView(String stageId, String model, String className, int features, List<Charts.Bar> top,
                       RawString chart, List<LocalExplanation> rows) {
    /** Bars in the global chart. */
    public static final int TOP = 15;
    /** Local explanations shown. */
    public static final int ROWS_SHOWN = 5;

    public ShapView {
        top = List.copyOf(top);
        rows = List.copyOf(rows);
    }

    /**
     * One explained row for the shown class: where the model starts (the expected output over the background), each
     * recorded feature's push, what the features not recorded add together, and the prediction they sum to.
     */
    public record LocalExplanation(String row, String base, List<Contribution> contributions, String rest, String prediction) {
        public LocalExplanation {
            contributions = List.copyOf(contributions);
        }

        /** Table rows the explanation takes: one per contribution, and one for "other features". */
        public int span() {
            return contributions.size() + 1;
        }
    }

    /** A feature's SHAP value in one row, signed, with a bar width in percent of the row's largest push. */
    public record Contribution(String feature, String value, boolean positive, int widthPercent) { }

    static List<ShapView> of(RunDetail run, RunMetrics metrics, Map<String, String> modelOf) {
        List<ShapView> out = new ArrayList<>();
        for (StageRunView stage : run.stages()) {
            TreeMap<String, Map<String, Double>> importance = new TreeMap<>();
            for (MetricView m : metrics.of(stage.stageId())) {
                if (!m.name().equals("mean_abs_shap")) continue;
                Map<String, String> slice = RunMetrics.parseSlice(m.slice());
                if (slice.containsKey("feature") && slice.containsKey("class")) {
                    importance.computeIfAbsent(slice.get("class"), k -> new LinkedHashMap<>()).put(slice.get("feature"), m.value());
                }
            }
            if (importance.isEmpty()) continue;
            String shown = importance.lastKey();
            List<Charts.Bar> bars = importance.get(shown).entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP).map(e -> Charts.Bar.of(e.getKey(), e.getValue())).toList();
            RawString chart = Charts.barChart("shap-" + stage.stageId(), bars, Double.NaN,
                    "mean |SHAP| per feature for class " + shown + ", top " + bars.size());
            out.add(new ShapView(stage.stageId(), modelOf.getOrDefault(stage.stageId(), ""), shown,
                    importance.get(shown).size(), bars, chart, local(metrics.of(stage.stageId()), shown)));
        }
        return out;
    }

    private static List<LocalExplanation> local(List<MetricView> metrics, String className) {
        Map<Long, Double> base = new TreeMap<>();
        Map<Long, Double> prediction = new TreeMap<>();
        Map<Long, Map<String, Double>> values = new TreeMap<>();
        for (MetricView m : metrics) {
            Map<String, String> slice = RunMetrics.parseSlice(m.slice());
            if (!className.equals(slice.get("class")) || !slice.containsKey("row")) continue;
            long row;
            try {
                row = Long.parseLong(slice.get("row"));
            } catch (NumberFormatException e) {
                continue;
            }
            switch (m.name()) {
                case "shap_base" -> base.put(row, m.value());
                case "shap_prediction" -> prediction.put(row, m.value());
                case "shap_value" -> {
                    if (slice.containsKey("feature")) values.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(slice.get("feature"), m.value());
                }
                default -> { }
            }
        }
        TreeSet<Long> rows = new TreeSet<>(base.keySet());
        rows.retainAll(prediction.keySet());
        List<LocalExplanation> out = new ArrayList<>();
        for (long row : rows) {
            if (out.size() == ROWS_SHOWN) break;
            Map<String, Double> v = values.getOrDefault(row, Map.of());
            double largest = v.values().stream().mapToDouble(Math::abs).max().orElse(0);
            List<Contribution> contributions = v.entrySet().stream()
                    .sorted(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue())).thenComparing(Map.Entry::getKey))
                    .map(e -> new Contribution(e.getKey(), signed(e.getValue()), e.getValue() >= 0,
                            largest == 0 ? 0 : (int) Math.round(100 * Math.abs(e.getValue()) / largest)))
                    .toList();
            double rest = prediction.get(row) - base.get(row) - v.values().stream().mapToDouble(Double::doubleValue).sum();
            out.add(new LocalExplanation(Long.toString(row), RunPage.format(base.get(row)), contributions, signed(rest),
                    RunPage.format(prediction.get(row))));
        }
        return out;
    }

    private static String signed(double v) {
        return (v >= 0 ? "+" : "") + RunPage.format(v);
    }
}
