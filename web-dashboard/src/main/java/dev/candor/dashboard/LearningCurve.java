package dev.candor.dashboard;

import dev.candor.registry.MetricView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.StageRunView;
import io.quarkus.qute.RawString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The learning curves of one {@code train.onnx} stage: the per-epoch {@code train_loss}, {@code val_loss} and
 * {@code val_accuracy} it records with slice {@code epoch=N} (1-based), and the epoch it kept ({@code best_epoch}).
 *
 * @param stageId   the training stage
 * @param epochs    how many epochs have a point
 * @param bestEpoch the kept epoch, or 0 when the stage did not record one
 * @param finals    each series' value at the kept epoch (or the last one), as "name value"
 * @param chart     the inline SVG line chart
 */
public record LearningCurve(String stageId, int epochs, int bestEpoch, List<String> finals, RawString chart) {
    /** The series a training stage records per epoch, in legend order. */
    public static final List<String> SERIES = List.of("train_loss", "val_loss", "val_accuracy");

    public LearningCurve {
        finals = List.copyOf(finals);
    }

    static List<LearningCurve> of(RunDetail run, RunMetrics metrics) {
        List<LearningCurve> out = new ArrayList<>();
        for (StageRunView stage : run.stages()) {
            Map<String, TreeMap<Integer, Double>> series = new java.util.LinkedHashMap<>();
            for (MetricView m : metrics.of(stage.stageId())) {
                if (!SERIES.contains(m.name())) continue;
                String epoch = RunMetrics.parseSlice(m.slice()).get("epoch");
                if (epoch == null) continue;
                try {
                    series.computeIfAbsent(m.name(), k -> new TreeMap<>()).put(Integer.parseInt(epoch), m.value());
                } catch (NumberFormatException e) {
                    // A slice epoch=<not a number> is not a point of a curve; the raw metric stays in the API.
                }
            }
            if (series.isEmpty()) continue;
            int best = (int) Math.round(metrics.whole(stage.stageId(), "best_epoch").orElse(0));
            List<Charts.Series> lines = new ArrayList<>();
            List<String> finals = new ArrayList<>();
            int epochs = 0;
            for (String name : SERIES) {
                TreeMap<Integer, Double> points = series.get(name);
                if (points == null) continue;
                lines.add(new Charts.Series(name, points.entrySet().stream()
                        .map(e -> new Charts.Point(e.getKey(), e.getValue())).toList()));
                epochs = Math.max(epochs, points.lastKey());
                Double at = points.get(best);
                finals.add(name + " " + RunPage.format(at != null ? at : points.lastEntry().getValue()));
            }
            RawString chart = Charts.lineChart("curve-" + stage.stageId(), lines, "epoch", best,
                    best >= 1 ? "best epoch " + best : "");
            out.add(new LearningCurve(stage.stageId(), epochs, best, finals, chart));
        }
        return out;
    }
}
