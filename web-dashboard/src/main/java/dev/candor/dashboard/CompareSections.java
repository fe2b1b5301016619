package dev.candor.dashboard;

import dev.candor.dashboard.Comparison.Cell;
import dev.candor.dashboard.Comparison.Row;
import dev.candor.dashboard.Comparison.Section;
import dev.candor.registry.EvaluationView;
import dev.candor.registry.GateResultView;
import dev.candor.registry.MetricView;
import dev.candor.registry.RunDetail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/** The rows of a {@link Comparison}, section by section; a stage is matched across runs by its id in the YAML. */
final class CompareSections {
    /** The headline metrics compared per evaluating stage, in reading order. */
    static final List<String> HEADLINE = List.of("roc_auc", "accuracy", "balanced_accuracy", "f1_macro", "log_loss", "brier");
    /** The privacy results compared per stage. */
    static final List<String> PRIVACY = List.of("membership_advantage", "membership_auc", "privacy.epsilon", "privacy.k_anonymity");
    /** Features in a compared SHAP ranking. */
    static final int TOP = 5;

    private final List<RunDetail> runs;
    private final List<RunMetrics> metrics;

    private CompareSections(List<RunDetail> runs) {
        this.runs = runs;
        this.metrics = runs.stream().map(RunMetrics::new).toList();
    }

    static List<Section> of(List<RunDetail> runs) {
        CompareSections c = new CompareSections(runs);
        List<Section> out = new ArrayList<>(c.evaluations());
        out.add(c.fairness());
        out.add(c.privacy());
        out.add(c.explanations());
        out.add(c.gates());
        return out;
    }

    private List<Section> evaluations() {
        Set<String> stages = new LinkedHashSet<>();
        for (RunDetail r : runs) {
            EvaluationView.of(r).stream().filter(EvaluationView::isFullEvaluation).forEach(e -> stages.add(e.stageId()));
        }
        List<Section> out = new ArrayList<>();
        for (String stage : stages) {
            List<Row> rows = new ArrayList<>();
            for (String name : HEADLINE) {
                numeric(stage, name, name, Goal.of(name)).ifPresent(rows::add);
            }
            out.add(new Section("eval-" + stage, "Evaluation " + stage, "the stage's test split; intervals are its bootstrap intervals", rows));
        }
        return out;
    }

    private Section fairness() {
        // stage -> attribute -> gaps recorded by any run
        Map<String, Map<String, Set<String>>> found = new LinkedHashMap<>();
        for (RunDetail r : runs) {
            for (MetricView m : r.metrics()) {
                if (!m.name().startsWith("fairness.") || m.slice() != null || (m.split() != null && !m.split().equals("test"))) continue;
                String rest = m.name().substring("fairness.".length());
                int dot = rest.lastIndexOf('.');
                if (dot <= 0 || !FairnessView.GAPS.contains(rest.substring(dot + 1))) continue;
                found.computeIfAbsent(m.stageId(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(rest.substring(0, dot), k -> new LinkedHashSet<>()).add(rest.substring(dot + 1));
            }
        }
        List<Row> rows = new ArrayList<>();
        found.forEach((stage, attributes) -> attributes.forEach((attribute, gaps) -> {
            for (String gap : FairnessView.GAPS) {
                if (gaps.contains(gap)) {
                    numeric(stage, "fairness." + attribute + "." + gap, attribute + " " + gap, Goal.ofGap(gap)).ifPresent(rows::add);
                }
            }
        }));
        return new Section("fairness", "Fairness gaps between groups",
                "per protected attribute, on the test split: a ratio is fair at 1, a difference at 0", rows);
    }

    private Section privacy() {
        Set<String> stages = new LinkedHashSet<>();
        runs.forEach(r -> r.stages().forEach(s -> stages.add(s.stageId())));
        List<Row> rows = new ArrayList<>();
        for (String stage : stages) {
            for (String name : PRIVACY) numeric(stage, name, name, Goal.of(name)).ifPresent(rows::add);
        }
        return new Section("privacy", "Privacy",
                "membership advantage is TPR − FPR of the strongest membership-inference attack (0 = no leakage)", rows);
    }

    private Section explanations() {
        Set<String> stages = new LinkedHashSet<>();
        for (RunDetail r : runs) {
            r.metrics().stream().filter(m -> m.name().equals("mean_abs_shap")).forEach(m -> stages.add(m.stageId()));
        }
        List<Row> rows = new ArrayList<>();
        for (String stage : stages) {
            List<List<String>> rankings = new ArrayList<>();
            List<List<String>> items = new ArrayList<>();
            String shownClass = "";
            for (RunMetrics m : metrics) {
                TreeMap<String, Map<String, Double>> importance = new TreeMap<>();
                for (MetricView v : m.of(stage)) {
                    Map<String, String> slice = RunMetrics.parseSlice(v.slice());
                    if (v.name().equals("mean_abs_shap") && slice.containsKey("feature") && slice.containsKey("class")) {
                        importance.computeIfAbsent(slice.get("class"), k -> new LinkedHashMap<>()).put(slice.get("feature"), v.value());
                    }
                }
                if (importance.isEmpty()) {
                    rankings.add(null);
                    items.add(List.of());
                    continue;
                }
                shownClass = importance.lastKey();
                List<Map.Entry<String, Double>> top = importance.lastEntry().getValue().entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .limit(TOP).toList();
                rankings.add(top.stream().map(Map.Entry::getKey).toList());
                items.add(top.stream().map(e -> e.getKey() + " " + RunPage.format(e.getValue())).toList());
            }
            List<Cell> cells = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                if (rankings.get(i) == null) {
                    cells.add(Cell.missing(i == 0));
                    continue;
                }
                String text = String.join(", ", rankings.get(i));
                String verdict = "";
                String change = i == 0 ? "baseline" : "";
                if (i > 0 && rankings.get(0) != null) {
                    change = rankingChange(rankings.get(0), rankings.get(i));
                    verdict = rankings.get(0).equals(rankings.get(i)) ? "same ranking" : "ranking changed";
                }
                cells.add(new Cell(true, null, null, null, text, items.get(i), "", null, change, verdict, ""));
            }
            rows.add(new Row(stage + "/top_features", stage + ": top " + TOP + " features by mean |SHAP|"
                    + (shownClass.isEmpty() ? "" : " (class " + shownClass + ")"), "", cells));
        }
        return new Section("explanations", "Explanations",
                "a change in which features drive the model is for a reviewer to read, not better or worse by itself", rows);
    }

    /** "same top 5, same order", "same features, order changed", or "new: a, b; dropped: c, d". */
    static String rankingChange(List<String> baseline, List<String> other) {
        if (baseline.equals(other)) return "same top " + baseline.size() + ", same order";
        List<String> added = other.stream().filter(f -> !baseline.contains(f)).toList();
        List<String> dropped = baseline.stream().filter(f -> !other.contains(f)).toList();
        if (added.isEmpty() && dropped.isEmpty()) return "same features, order changed";
        return "new: " + (added.isEmpty() ? "none" : String.join(", ", added)) + "; dropped: "
                + (dropped.isEmpty() ? "none" : String.join(", ", dropped));
    }

    private Section gates() {
        Set<String> expressions = new LinkedHashSet<>();
        runs.forEach(r -> r.gates().forEach(g -> expressions.add(g.expression())));
        List<Row> rows = new ArrayList<>();
        int n = 0;
        for (String expression : expressions) {
            List<Cell> cells = new ArrayList<>();
            Optional<GateResultView> base = gate(runs.get(0), expression);
            for (int i = 0; i < runs.size(); i++) {
                Optional<GateResultView> g = gate(runs.get(i), expression);
                if (g.isEmpty()) {
                    cells.add(Cell.missing(i == 0));
                    continue;
                }
                String verdict = g.get().passed() ? GatesView.PASS : GatesView.FAIL;
                String judged = "";
                String change = i == 0 ? "baseline" : "";
                if (i > 0 && base.isPresent()) {
                    boolean was = base.get().passed();
                    boolean now = g.get().passed();
                    judged = was == now ? "no change" : now ? "better" : "worse";
                    change = was == now ? "still " + verdict : now ? "better: now passes (baseline failed)" : "worse: now fails (baseline passed)";
                }
                cells.add(new Cell(true, null, null, null, verdict, List.of(), "", null, change, judged, ""));
            }
            rows.add(new Row("gate/" + n++, expression, "", cells));
        }
        return new Section("gates", "Release gates", "PASS or FAIL as each run's pipeline declared them", rows);
    }

    private static Optional<GateResultView> gate(RunDetail run, String expression) {
        return run.gates().stream().filter(g -> g.expression().equals(expression)).findFirst();
    }

    /** A numeric row, or empty when no run recorded {@code name} on {@code stage}. */
    private Optional<Row> numeric(String stage, String name, String label, Goal goal) {
        if (metrics.stream().noneMatch(m -> m.whole(stage, name).isPresent())) return Optional.empty();
        List<Cell> cells = new ArrayList<>();
        double[] base = values(metrics.get(0), stage, name);
        for (int i = 0; i < metrics.size(); i++) {
            double[] v = values(metrics.get(i), stage, name);
            if (Double.isNaN(v[0])) {
                cells.add(Cell.missing(i == 0));
                continue;
            }
            String text = name.equals("privacy.k_anonymity") ? Long.toString(Math.round(v[0])) : RunPage.format(v[0]);
            Double delta = null;
            String change = i == 0 ? "baseline" : "no baseline value to compare with";
            String verdict = "";
            String noise = "";
            if (i > 0 && !Double.isNaN(base[0])) {
                delta = v[0] - base[0];
                verdict = goal.judge(base[0], v[0]);
                noise = Goal.noise(base[1], base[2], v[1], v[2]);
                change = signed(delta) + ", " + verdict + ", " + (noise.equals("no interval") ? "no interval to judge noise" : noise);
            }
            cells.add(new Cell(true, v[0], boxed(v[1]), boxed(v[2]), text, List.of(), RunMetrics.interval(v[1], v[2]), delta,
                    change, verdict, noise));
        }
        return Optional.of(new Row(stage + "/" + name, stage + ": " + label, goal.words(), cells));
    }

    private static double[] values(RunMetrics m, String stage, String name) {
        return new double[] {m.wholeOrNaN(stage, name), or(m.whole(stage, name + "_ci_low")), or(m.whole(stage, name + "_ci_high"))};
    }

    private static double or(OptionalDouble d) {
        return d.orElse(Double.NaN);
    }

    private static Double boxed(double d) {
        return Double.isNaN(d) ? null : d;
    }

    /** A difference with its sign always written: "+0.0123", "-0.0040", "+0.0000". */
    static String signed(double d) {
        String f = RunPage.format(Math.abs(d));
        return (d < 0 && !f.equals(RunPage.format(0)) ? "-" : "+") + f;
    }
}
