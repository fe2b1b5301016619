package dev.candor.dashboard;

import dev.candor.registry.EvaluationView;
import dev.candor.registry.RunDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the run page shows: the run, and each {@link EvaluationView} with its numbers formatted for reading. */
public record RunPage(RunDetail run, List<Evaluation> evaluations) {

    /** One evaluated stage on one split. */
    public record Evaluation(String stageId, String split, List<Headline> headlines, List<String> classes, List<ConfusionRow> confusion) { }

    /** A metric with its interval (blank when there is none); {@code key} is {@code stage/metric}, for tests and links. */
    public record Headline(String name, String key, String value, String interval) { }

    /** One row of a confusion matrix: the actual class and the counts per predicted class. */
    public record ConfusionRow(String actual, List<Long> counts) { }

    public static RunPage of(RunDetail run) {
        List<Evaluation> evaluations = new ArrayList<>();
        for (EvaluationView e : EvaluationView.of(run)) {
            List<Headline> headlines = e.headlines().stream().map(h -> new Headline(h.name(), e.stageId() + "/" + h.name(),
                    format(h.value()), h.ciLow() != null && h.ciHigh() != null ? "[" + format(h.ciLow()) + ", " + format(h.ciHigh()) + "]" : "")).toList();
            List<ConfusionRow> rows = new ArrayList<>();
            for (int i = 0; i < e.classes().size(); i++) rows.add(new ConfusionRow(e.classes().get(i), e.confusion().get(i)));
            evaluations.add(new Evaluation(e.stageId(), e.split(), headlines, e.classes(), rows));
        }
        return new RunPage(run, evaluations);
    }

    /** Four decimals: the precision the CLI prints too, so a reviewer can compare them by eye. */
    public static String format(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
