package dev.candor.dashboard;

import dev.candor.registry.EvaluationView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.StageRunView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One model of a run with its evidence side by side: accuracy (its evaluation's ROC AUC and accuracy with their
 * intervals), fairness (the gap furthest from parity), privacy (membership advantage; ε when trained with
 * differential privacy) and interpretability (the stages that explain it). Evidence is tied to the model through
 * lineage: a stage belongs to the model whose artifact it read. Missing evidence is said in words, never left blank.
 *
 * @param model        the training stage
 * @param type         its stage type
 * @param evaluation   the evaluating stage, or blank
 * @param rocAuc       "value [low, high]", or "not evaluated"
 * @param accuracy     "value [low, high]", or "not evaluated"
 * @param worstGap     "attribute gap value", or "no fairness metrics"
 * @param gapWarning   the four-fifths warning of any disparate impact of the model, or blank
 * @param membership   membership advantage, or "not audited"
 * @param epsilon      "ε … (δ …)", or "not DP-trained"
 * @param explanations the explaining stages' ids (empty: "none")
 */
public record ModelRow(String model, String type, String evaluation, String rocAuc, String accuracy, String worstGap,
                       String gapWarning, String membership, String epsilon, List<String> explanations) {
    public ModelRow {
        explanations = List.copyOf(explanations);
    }

    static List<ModelRow> of(RunDetail run, Map<String, String> modelOf, List<EvaluationView> evaluations,
                             List<FairnessView> fairness, PrivacyView privacy, List<ShapView> shap) {
        List<ModelRow> out = new ArrayList<>();
        for (StageRunView stage : run.stages()) {
            boolean model = stage.stageType().startsWith("train.") || stage.output() != null && "MODEL".equals(stage.output().kind());
            if (!model) continue;
            String id = stage.stageId();
            Optional<EvaluationView> eval = evaluations.stream()
                    .filter(e -> e.isFullEvaluation() && id.equals(modelOf.get(e.stageId()))).findFirst();
            String rocAuc = eval.map(e -> headline(e, "roc_auc")).orElse("not evaluated");
            String accuracy = eval.map(e -> headline(e, "accuracy")).orElse("not evaluated");
            List<FairnessView> ours = fairness.stream().filter(f -> id.equals(f.model())).toList();
            Optional<FairnessView.Gap> worst = ours.stream().flatMap(f -> f.worst().stream())
                    .max(java.util.Comparator.comparingDouble(FairnessView.Gap::distance));
            String warning = ours.stream().flatMap(f -> f.attributes().stream()
                            .flatMap(a -> a.gaps().stream().filter(FairnessView.Gap::flagged)
                                    .map(g -> a.name() + " disparate impact " + g.formatted() + " " + g.warning())))
                    .findFirst().orElse("");
            String membership = privacy.audits().stream().filter(a -> id.equals(a.model())).findFirst()
                    .map(PrivacyView.Audit::advantage).orElse("not audited");
            String epsilon = privacy.dp().stream().filter(d -> d.stageId().equals(id)).findFirst()
                    .map(d -> "ε " + d.epsilon() + (d.delta().isEmpty() ? "" : " (δ " + d.delta() + ")")).orElse("not DP-trained");
            List<String> explanations = new ArrayList<>(shap.stream().filter(s -> id.equals(s.model())).map(ShapView::stageId).toList());
            run.stages().stream().filter(s -> s.stageType().startsWith("explain.") && id.equals(modelOf.get(s.stageId()))
                    && !explanations.contains(s.stageId())).forEach(s -> explanations.add(s.stageId()));
            out.add(new ModelRow(id, stage.stageType(), eval.map(EvaluationView::stageId).orElse(""), rocAuc, accuracy,
                    worst.map(g -> g.name() + " " + g.formatted() + (g.interval().isEmpty() ? "" : " " + g.interval()))
                            .orElse("no fairness metrics"),
                    warning, membership, epsilon, explanations));
        }
        return out;
    }

    private static String headline(EvaluationView e, String name) {
        return e.headlines().stream().filter(h -> h.name().equals(name)).findFirst()
                .map(h -> (RunPage.format(h.value()) + " " + RunMetrics.interval(
                        h.ciLow() == null ? Double.NaN : h.ciLow(), h.ciHigh() == null ? Double.NaN : h.ciHigh())).trim())
                .orElse("not recorded");
    }
}
