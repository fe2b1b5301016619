package dev.candor.dashboard;

import dev.candor.registry.EvaluationView;
import dev.candor.registry.FindingView;
import dev.candor.registry.ModelVersionView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunStatus;
import dev.candor.registry.StageLink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the run page (and its audit report) shows: the run, a side-by-side summary of its models, each
 * {@link EvaluationView} with its numbers formatted for reading, learning curves, SHAP explanations, fairness and
 * privacy evidence, its release gates, its stages' findings (warnings first) and the model versions it registered for
 * review. A pure function of what the registry holds.
 */
public record RunPage(RunDetail run, List<ModelRow> models, List<Evaluation> evaluations, List<LearningCurve> curves,
                      List<ShapView> explanations, List<FairnessView> fairness, PrivacyView privacy, GatesView gates,
                      List<FindingView> findings, List<ModelVersionView> versions) {

    public RunPage {
        findings = List.copyOf(findings);
        versions = List.copyOf(versions);
        models = List.copyOf(models);
        evaluations = List.copyOf(evaluations);
        curves = List.copyOf(curves);
        explanations = List.copyOf(explanations);
        fairness = List.copyOf(fairness);
    }

    /** One evaluated stage on one split. */
    public record Evaluation(String stageId, String split, List<Headline> headlines, List<String> classes, List<ConfusionRow> confusion) { }

    /** A metric with its interval (blank when there is none); {@code key} is {@code stage/metric}, for tests and links. */
    public record Headline(String name, String key, String value, String interval) { }

    /** One row of a confusion matrix: the actual class and the counts per predicted class. */
    public record ConfusionRow(String actual, List<Long> counts) { }

    /** How many findings are warnings (the registry lists them first). */
    public int warnings() {
        return (int) findings.stream().filter(f -> "WARNING".equals(f.severity())).count();
    }

    /**
     * The review state of the model stage {@code stageId} trained: "v3 candidate", "v3 approved", …; "not registered"
     * when this run registered no version of it (a stage served from the cache registers none).
     */
    public String versionOf(String stageId) {
        return versions.stream().filter(v -> v.stageId().equals(stageId)).findFirst()
                .map(v -> "v" + v.version() + " " + TemplateExtensions.words(v.status())).orElse("not registered");
    }

    /** Whether the run ended FAILED_GATES: its models must not be approved. */
    public boolean failedGates() {
        return RunStatus.FAILED_GATES.name().equals(run.summary().status());
    }

    /**
     * The page of {@code run}; {@code links} (its stage lineage, {@code Registry.stageLinks}) tie each evaluation,
     * explanation and audit to the model it read; {@code versions} are the model versions it registered
     * ({@code Registry.modelVersions}).
     */
    public static RunPage of(RunDetail run, List<StageLink> links, List<ModelVersionView> versions) {
        List<EvaluationView> views = EvaluationView.of(run);
        List<Evaluation> evaluations = new ArrayList<>();
        for (EvaluationView e : views) {
            List<Headline> headlines = e.headlines().stream().map(h -> new Headline(h.name(), e.stageId() + "/" + h.name(),
                    format(h.value()), h.ciLow() != null && h.ciHigh() != null ? "[" + format(h.ciLow()) + ", " + format(h.ciHigh()) + "]" : "")).toList();
            List<ConfusionRow> rows = new ArrayList<>();
            for (int i = 0; i < e.classes().size(); i++) rows.add(new ConfusionRow(e.classes().get(i), e.confusion().get(i)));
            evaluations.add(new Evaluation(e.stageId(), e.split(), headlines, e.classes(), rows));
        }
        Map<String, String> modelOf = new LinkedHashMap<>();
        for (StageLink l : links) {
            if ("MODEL".equals(l.artifactKind())) modelOf.putIfAbsent(l.stageId(), l.inputStageId());
        }
        RunMetrics metrics = new RunMetrics(run);
        List<ShapView> shap = ShapView.of(run, metrics, modelOf);
        List<FairnessView> fairness = FairnessView.of(run, metrics, modelOf);
        PrivacyView privacy = PrivacyView.of(run, metrics, modelOf);
        return new RunPage(run, ModelRow.of(run, modelOf, views, fairness, privacy, shap), evaluations,
                LearningCurve.of(run, metrics), shap, fairness, privacy, GatesView.of(run), run.findings(), versions);
    }

    /** Four decimals: the precision the CLI prints too, so a reviewer can compare them by eye. */
    public static String format(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
