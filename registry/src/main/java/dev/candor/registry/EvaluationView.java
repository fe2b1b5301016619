package dev.candor.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One evaluation of a run as a reviewer reads it: a stage's headline metrics on one split, with their intervals,
 * and its confusion matrix. Built from a {@link RunDetail} alone, so the CLI and the dashboard show the same thing.
 *
 * @param stageId   the evaluating stage
 * @param split     the split it scored
 * @param headlines the headline metrics present, in {@link #HEADLINE} order
 * @param classes   the class names of the confusion matrix, sorted
 * @param confusion counts: row = actual class, column = predicted class, both in {@code classes} order
 */
public record EvaluationView(String stageId, String split, List<Headline> headlines, List<String> classes,
                             List<List<Long>> confusion) {

    /** The headline metrics, in the order a reviewer reads them. */
    public static final List<String> HEADLINE = List.of("accuracy", "balanced_accuracy", "roc_auc", "precision_macro",
            "recall_macro", "f1_macro", "log_loss", "brier");

    /** A metric and its confidence interval ({@code <name>_ci_low} / {@code _ci_high}); the bounds are null without one. */
    public record Headline(String name, double value, Double ciLow, Double ciHigh) { }

    public EvaluationView {
        headlines = List.copyOf(headlines);
        classes = List.copyOf(classes);
        confusion = confusion.stream().map(List::copyOf).toList();
    }

    /**
     * Every (stage, split) of the run with at least one headline metric; training-split numbers are left out. Full
     * evaluations (those with a confusion matrix) come first, then the checks training stages report on their
     * validation split; each group keeps the run's metric order.
     */
    public static List<EvaluationView> of(RunDetail run) {
        Map<String, List<MetricView>> groups = new LinkedHashMap<>();
        for (MetricView m : run.metrics()) {
            if (m.split() == null || m.split().equals("train")) continue;
            groups.computeIfAbsent(m.stageId() + "\u0000" + m.split(), k -> new ArrayList<>()).add(m);
        }
        List<EvaluationView> out = new ArrayList<>();
        for (List<MetricView> metrics : groups.values()) {
            Map<String, Double> whole = new LinkedHashMap<>();
            for (MetricView m : metrics) if (m.slice() == null) whole.put(m.name(), m.value());
            List<Headline> headlines = new ArrayList<>();
            for (String name : HEADLINE) {
                Double v = whole.get(name);
                if (v != null) headlines.add(new Headline(name, v, whole.get(name + "_ci_low"), whole.get(name + "_ci_high")));
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
            List<List<Long>> matrix = new ArrayList<>();
            for (String a : classes) {
                List<Long> row = new ArrayList<>();
                for (String p : classes) row.add(cells.getOrDefault(a, Map.of()).getOrDefault(p, 0L));
                matrix.add(row);
            }
            out.add(new EvaluationView(metrics.get(0).stageId(), metrics.get(0).split(), headlines, List.copyOf(classes), matrix));
        }
        List<EvaluationView> ordered = new ArrayList<>(out.stream().filter(EvaluationView::isFullEvaluation).toList());
        out.stream().filter(e -> !e.isFullEvaluation()).forEach(ordered::add);
        return ordered;
    }

    /** Whether this is a full evaluation (it has a confusion matrix), not a training stage's validation check. */
    public boolean isFullEvaluation() {
        return !classes.isEmpty();
    }
}
