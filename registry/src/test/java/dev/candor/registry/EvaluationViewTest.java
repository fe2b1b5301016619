package dev.candor.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationViewTest {
    static RunDetail run(List<MetricView> metrics) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new RunDetail(new RunSummary("r", "p", "SUCCEEDED", t, t, 0L, 0, 0, null, Map.of()), 1, "direct", "cpu", "v",
                "p.yaml", "ab".repeat(32), null, List.of(), metrics);
    }

    @Test
    void headlinesInReadingOrderWithIntervalsAndAConfusionMatrixPerStageAndSplit() {
        List<EvaluationView> views = EvaluationView.of(run(List.of(
                new MetricView("lr", "accuracy", 0.9, "train", null),
                new MetricView("lr", "accuracy", 0.93, "validation", null),
                new MetricView("eval", "roc_auc", 0.95, "test", null),
                new MetricView("eval", "accuracy", 0.9, "test", null),
                new MetricView("eval", "accuracy_ci_low", 0.85, "test", null),
                new MetricView("eval", "accuracy_ci_high", 0.95, "test", null),
                new MetricView("eval", "accuracy", 0.5, "test", "class=b"),
                new MetricView("eval", "confusion", 7, "test", "actual=b,predicted=a"),
                new MetricView("eval", "confusion", 40, "test", "actual=a,predicted=a"),
                new MetricView("eval", "confusion", 3, "test", "actual=a,predicted=b"),
                new MetricView("eval", "accuracy", 0.8, "validation", null),
                new MetricView("other", "rows", 10, "test", null))));

        assertThat(views).extracting(EvaluationView::stageId, EvaluationView::split)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eval", "test"), org.assertj.core.groups.Tuple.tuple("lr", "validation"),
                        org.assertj.core.groups.Tuple.tuple("eval", "validation"));
        assertThat(views.get(1).isFullEvaluation()).isFalse();
        EvaluationView test = views.get(0);
        assertThat(test.headlines()).containsExactly(
                new EvaluationView.Headline("accuracy", 0.9, 0.85, 0.95),
                new EvaluationView.Headline("roc_auc", 0.95, null, null));
        assertThat(test.classes()).containsExactly("a", "b");
        assertThat(test.confusion()).containsExactly(List.of(40L, 3L), List.of(7L, 0L));
        assertThat(views.get(2).classes()).isEmpty();
    }
}
