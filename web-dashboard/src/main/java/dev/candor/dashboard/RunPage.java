package dev.candor.dashboard;

import dev.candor.registry.MetricView;
import dev.candor.registry.RunDetail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the run page shows, computed from a {@link RunDetail}: per evaluation (stage and split) the headline
 * metrics with their intervals and the confusion matrix.
 */
public record RunPage(RunDetail run, List<Evaluation> evaluations) {

    /** One evaluated stage on one split. */
    public record Evaluation(String stageId, String split, List<Headline> headlines, List<String> classes, List<ConfusionRow> confusion) { }

    /** A metric with its interval (blank when there is none). */
    public record Headline(String name, String key, String value, String interval) { }

    /** One row of a confusion matrix: the actual class and the counts per predicted class. */
    public record ConfusionRow(String actual, List<Long> counts) { }

    static final List<String> HEADLINE = List.of("accuracy", "balanced_accuracy", "roc_auc", "precision_macro",
            "recall_macro", "f1_macro", "log_loss", "brier");

    public static RunPage of(RunDetail run) {
        Map<String, List<MetricView>> groups = new LinkedHashMap<>();
        for (MetricView m : run.metrics()) {
            if (m.split() == null || m.split().equals("train")) continue;
            groups.computeIfAbsent(m.stageId() + "\u0000" + m.split(), k -> new ArrayList<>()).add(m);
        }
        List<Evaluation> evaluations = new ArrayList<>();
        for (List<MetricView> metrics : groups.values()) {
            Map<String, Double> whole = new LinkedHashMap<>();
            for (MetricView m : metrics) if (m.slice() == null) whole.put(m.name(), m.value());
            List<Headline> headlines = new ArrayList<>();
            for (String name : HEADLINE) {
                Double v = whole.get(name);
                if (v == null) continue;
                Double lo = whole.get(name + "_ci_low");
                Double hi = whole.get(name + "_ci_high");
                headlines.add(new Headline(name, metrics.get(0).stageId() + "/" + name, format(v),
                        lo != null && hi != null ? "[" + format(lo) + ", " + format(hi) + "]" : ""));
            }
            if (headlines.isEmpty()) continue;
            Map<String, Map<String, Long>> cells = new LinkedHashMap<>();
            TreeSet<String> classes = new TreeSet<>();
            for (MetricView m : metrics) {
                if (!m.name().equals("confusion") || m.slice() == null) continue;
                String actual = null;
                String predicted = null;
                for (String part : m.slice().split(",")) {
                    if (part.startsWith("actual=")) actual = part.substring("actual=".length());
                    if (part.startsWith("predicted=")) predicted = part.substring("predicted=".length());
                }
                if (actual == null || predicted == null) continue;
                classes.add(actual);
                classes.add(predicted);
                cells.computeIfAbsent(actual, k -> new LinkedHashMap<>()).put(predicted, Math.round(m.value()));
            }
            List<ConfusionRow> rows = new ArrayList<>();
            for (String a : classes) {
                List<Long> counts = new ArrayList<>();
                for (String p : classes) counts.add(cells.getOrDefault(a, Map.of()).getOrDefault(p, 0L));
                rows.add(new ConfusionRow(a, counts));
            }
            evaluations.add(new Evaluation(metrics.get(0).stageId(), metrics.get(0).split(), headlines, List.copyOf(classes), rows));
        }
        return new RunPage(run, evaluations);
    }

    /** Four decimals: the precision the CLI prints too, so a reviewer can compare them by eye. */
    public static String format(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
