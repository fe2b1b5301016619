package dev.candor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.candor.dashboard.Comparison.Cell;
import dev.candor.dashboard.Comparison.Row;
import dev.candor.dashboard.Comparison.Section;
import dev.candor.registry.ArtifactRecord;
import dev.candor.registry.DbConfig;
import dev.candor.registry.GateRecord;
import dev.candor.registry.MetricRecord;
import dev.candor.registry.NewRun;
import dev.candor.registry.Registry;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.RunStatus;
import dev.candor.registry.RunSummary;
import dev.candor.registry.StageStart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison of two runs of one pipeline over a real (H2) registry: the newer run is more accurate (within noise
 * for ROC AUC, beyond it for log loss) but its disparate impact fell below the four-fifths line, its membership
 * advantage grew, its SHAP ranking swapped two features and its fairness gate failed. Every delta, its words and the
 * noise decision are checked against numbers worked out by hand.
 */
class ComparisonTest {
    @TempDir
    static Path home;
    static RegistryDb db;
    static String older;
    static String newer;
    static Comparison comparison;

    @BeforeAll
    static void recordTwoRuns() throws Exception {
        Class.forName("org.h2.Driver");
        db = RegistryDb.open(DbConfig.resolve(home, null));
        Registry reg = db.registry();
        older = run(reg, "a", List.of(m("roc_auc", 0.80), m("roc_auc_ci_low", 0.75), m("roc_auc_ci_high", 0.85),
                m("accuracy", 0.70), m("log_loss", 0.50), m("log_loss_ci_low", 0.45), m("log_loss_ci_high", 0.55),
                m("fairness.sex.disparate_impact", 0.92), m("fairness.sex.disparate_impact_ci_low", 0.85),
                m("fairness.sex.disparate_impact_ci_high", 0.99), m("fairness.sex.statistical_parity_difference", -0.03)),
                0.05, List.of("f1", "f2", "f3", "f4", "f5", "f6"), true);
        reg.approveModel(reg.modelVersions(older).get(0).id(), "alice");
        Thread.sleep(20);
        newer = run(reg, "b", List.of(m("roc_auc", 0.83), m("roc_auc_ci_low", 0.79), m("roc_auc_ci_high", 0.87),
                m("log_loss", 0.40), m("log_loss_ci_low", 0.36), m("log_loss_ci_high", 0.44), m("brier", 0.1),
                m("fairness.sex.disparate_impact", 0.70), m("fairness.sex.disparate_impact_ci_low", 0.62),
                m("fairness.sex.disparate_impact_ci_high", 0.78), m("fairness.sex.statistical_parity_difference", 0.01)),
                0.09, List.of("f2", "f1", "f3", "f4", "f5", "f6"), false);
        comparison = Comparison.of(List.of(reg.getRun(older).orElseThrow(), reg.getRun(newer).orElseThrow()));
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    @Test
    void columnsNameEachRunWithItsStatusAndFailedGates() {
        assertThat(comparison.runs()).extracting(Comparison.Column::id).containsExactly(older, newer);
        assertThat(comparison.runs().get(0).baseline()).isTrue();
        assertThat(comparison.runs().get(1).statusWords()).isEqualTo("failed gates");
        assertThat(comparison.runs().get(1).failedGates()).containsExactly("eval.fairness.sex.disparate_impact >= 0.8");
        assertThat(comparison.runs().get(0).failedGates()).isEmpty();
        assertThat(comparison.sections()).extracting(Section::id)
                .containsExactly("eval-eval", "fairness", "privacy", "explanations", "gates");
    }

    @Test
    void accuracyDeltasCarryTheirSignTheirWordsAndTheNoiseDecision() {
        Cell auc = cell("eval/roc_auc", 1);
        assertThat(auc.delta()).isCloseTo(0.03, within(1e-12));
        assertThat(auc.verdict()).isEqualTo("better");
        assertThat(auc.noise()).as("[0.75, 0.85] and [0.79, 0.87] overlap").isEqualTo("within noise");
        assertThat(auc.change()).isEqualTo("+0.0300, better, within noise");
        assertThat(cell("eval/roc_auc", 0).change()).isEqualTo("baseline");

        Cell loss = cell("eval/log_loss", 1);
        assertThat(loss.change()).as("lower log loss is better; [0.45, 0.55] and [0.36, 0.44] are apart")
                .isEqualTo("-0.1000, better, changed");
        assertThat(row("eval/log_loss").goal()).isEqualTo("lower is better");

        Cell accuracy = cell("eval/accuracy", 1);
        assertThat(accuracy.recorded()).isFalse();
        assertThat(accuracy.text()).isEqualTo("not recorded");
        assertThat(accuracy.delta()).isNull();
        assertThat(cell("eval/brier", 0).text()).isEqualTo("not recorded");
        assertThat(cell("eval/brier", 1).change()).isEqualTo("no baseline value to compare with");
    }

    @Test
    void aFairnessRegressionReadsWorseAndBeyondNoise() {
        Cell di = cell("eval/fairness.sex.disparate_impact", 1);
        assertThat(di.text()).isEqualTo("0.7000");
        assertThat(di.interval()).isEqualTo("[0.6200, 0.7800]");
        assertThat(di.change()).as("0.92 → 0.70: further from parity; [0.85, 0.99] and [0.62, 0.78] are apart")
                .isEqualTo("-0.2200, worse, changed");
        assertThat(row("eval/fairness.sex.disparate_impact").goal()).isEqualTo("closer to 1 (parity) is better");
        assertThat(row("eval/fairness.sex.disparate_impact").label()).isEqualTo("eval: sex disparate_impact");

        Cell spd = cell("eval/fairness.sex.statistical_parity_difference", 1);
        assertThat(spd.change()).as("-0.03 → +0.01: a smaller gap, though the signed difference rose")
                .isEqualTo("+0.0400, better, no interval to judge noise");
    }

    @Test
    void privacyExplanationsAndGatesAreCompared() {
        assertThat(cell("audit/membership_advantage", 1).change()).isEqualTo("+0.0400, worse, no interval to judge noise");

        Cell ranking = cell("why/top_features", 1);
        assertThat(ranking.text()).isEqualTo("f2, f1, f3, f4, f5");
        assertThat(ranking.items()).hasSize(CompareSections.TOP).first().asString().startsWith("f2 ");
        assertThat(ranking.verdict()).isEqualTo("ranking changed");
        assertThat(ranking.change()).isEqualTo("same features, order changed");
        assertThat(row("why/top_features").label()).isEqualTo("why: top 5 features by mean |SHAP| (class yes)");
        assertThat(CompareSections.rankingChange(List.of("a", "b"), List.of("a", "c"))).isEqualTo("new: c; dropped: b");

        assertThat(row("gate/0").label()).isEqualTo("eval.roc_auc >= 0.75");
        assertThat(cell("gate/0", 1).change()).isEqualTo("still PASS");
        assertThat(cell("gate/1", 0).text()).isEqualTo("PASS");
        assertThat(cell("gate/1", 1).text()).isEqualTo("FAIL");
        assertThat(cell("gate/1", 1).verdict()).isEqualTo("worse");
        assertThat(cell("gate/1", 1).change()).isEqualTo("worse: now fails (baseline passed)");
    }

    @Test
    void goalsJudgeRatiosAndDifferencesByTheirDistanceFromParity() {
        assertThat(Goal.TOWARD_ONE.judge(0.8, 1.25)).as("equally far from 1").isEqualTo("no change");
        assertThat(Goal.TOWARD_ONE.judge(0.8, 1.1)).isEqualTo("better");
        assertThat(Goal.TOWARD_ZERO.judge(0.05, -0.1)).isEqualTo("worse");
        assertThat(Goal.TOWARD_HALF.judge(0.6, 0.52)).isEqualTo("better");
        assertThat(Goal.HIGHER.judge(0.9, 0.90001)).as("prints as +0.0000").isEqualTo("no change");
        assertThat(Goal.noise(0.1, 0.2, 0.2, 0.3)).as("touching intervals overlap").isEqualTo("within noise");
        assertThat(CompareSections.signed(-0.00001)).isEqualTo("+0.0000");
    }

    @Test
    void previousRunsOfThePipelineAreFoundForTheRunPageLinks() {
        Registry reg = db.registry();
        assertThat(reg.previousRun(newer, false)).map(RunSummary::id).contains(older);
        assertThat(reg.previousRun(newer, true)).as("the older run has an approved model").map(RunSummary::id).contains(older);
        assertThat(reg.previousRun(older, false)).isEmpty();
        assertThat(reg.previousRun("no-such-run", false)).isEmpty();
    }

    @Test
    void fewerThanTwoOrMoreThanFourRunsAreRefused() {
        assertThatThrownBy(() -> Comparison.of(List.of(db.registry().getRun(older).orElseThrow())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 to 4 runs, got 1");
    }

    private static Row row(String key) {
        return comparison.sections().stream().flatMap(s -> s.rows().stream()).filter(r -> r.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + key));
    }

    private static Cell cell(String key, int column) {
        return row(key).cells().get(column);
    }

    /** A run of pipeline "credit": ingest, train, evaluate, a membership audit and a SHAP stage, with two gates. */
    private static String run(Registry reg, String tag, List<MetricRecord> eval, double advantage, List<String> ranking,
                              boolean fair) throws Exception {
        String yaml = "fixture: compare " + tag + "\n";
        String run = reg.createRun(new NewRun("credit", "credit.yaml", yaml, sha(yaml), 7, "direct", "cpu", "test", "alice"));
        String data = stage(reg, run, "data", "ingest.csv", 0, "DATASET", List.of(), List.of());
        String model = stage(reg, run, "train", "train.tribuo", 1, "MODEL", List.of(data), List.of());
        List<MetricRecord> evalMetrics = new ArrayList<>(eval);
        evalMetrics.add(new MetricRecord("confusion", 10, "test", "actual=no,predicted=no"));
        stage(reg, run, "eval", "evaluate", 2, "EVALUATION", List.of(model, data), evalMetrics);
        stage(reg, run, "audit", "audit.membership", 3, "EVALUATION", List.of(model, data), List.of(m("membership_advantage", advantage)));
        List<MetricRecord> shap = new ArrayList<>();
        for (int i = 0; i < ranking.size(); i++) {
            shap.add(new MetricRecord("mean_abs_shap", 0.5 - 0.05 * i, "test", "feature=" + ranking.get(i) + ",class=yes"));
            shap.add(new MetricRecord("mean_abs_shap", 0.1, "test", "feature=" + ranking.get(i) + ",class=no"));
        }
        stage(reg, run, "why", "explain.shap", 4, "EVALUATION", List.of(model, data), shap);
        String trainRun = reg.getRun(run).orElseThrow().stages().get(1).id();
        reg.registerModelVersion("credit/train", run, trainRun, model);
        double auc = eval.stream().filter(x -> x.name().equals("roc_auc")).findFirst().orElseThrow().value();
        double di = eval.stream().filter(x -> x.name().equals("fairness.sex.disparate_impact")).findFirst().orElseThrow().value();
        Map<String, Double> a = new LinkedHashMap<>();
        a.put("eval.roc_auc", auc);
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("eval.fairness.sex.disparate_impact", di);
        RunStatus status = reg.finishRunWithGates(run, List.of(new GateRecord(0, "eval.roc_auc >= 0.75", true, a, "ok"),
                new GateRecord(1, "eval.fairness.sex.disparate_impact >= 0.8", fair, d, fair ? "ok" : di + " < 0.8")));
        assertThat(status).isEqualTo(fair ? RunStatus.SUCCEEDED : RunStatus.FAILED_GATES);
        return run;
    }

    private static String stage(Registry reg, String run, String id, String type, int position, String kind,
                                List<String> inputs, List<MetricRecord> metrics) throws Exception {
        String stageRun = reg.startStage(run, new StageStart(id, type, position, sha(run + id), "{}", "{}"));
        String content = run + "/" + id;
        String artifact = reg.putArtifact(new ArtifactRecord(null, kind, "file:///a/" + sha(content), sha(content), 1, Map.of()));
        reg.finishStageRan(stageRun, artifact, inputs, id + " done", null, metrics, List.of());
        return artifact;
    }

    private static MetricRecord m(String name, double value) {
        return new MetricRecord(name, value, "test", null);
    }

    private static String sha(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
