package dev.candor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.registry.ArtifactRecord;
import dev.candor.registry.DbConfig;
import dev.candor.registry.FindingRecord;
import dev.candor.registry.FindingView;
import dev.candor.registry.GateRecord;
import dev.candor.registry.MetricRecord;
import dev.candor.registry.ModelStatus;
import dev.candor.registry.ModelVersionView;
import dev.candor.registry.NewRun;
import dev.candor.registry.Registry;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunStatus;
import dev.candor.registry.StageStart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run page's model over a real (H2) registry holding the evidence the breast-cancer example does not produce:
 * fairness gaps and group rates (with an intersection), a membership-inference audit, differentially private
 * training, k-anonymity, and SHAP and learning-curve metrics shaped as the stages record them. Names follow the
 * agreed contract (HELPERS.md); the values are chosen so that every rule (four-fifths, worst gap, parity) is exercised.
 * The run ends FAILED_GATES (one gate of two fails), its stages report findings, and its two models are registered.
 */
class RunPageTest {
    @TempDir
    static Path home;
    static RegistryDb db;
    static RunPage page;
    static String runId;

    @BeforeAll
    static void recordARun() throws Exception {
        // Load H2's driver through this class loader: when a @QuarkusTest ran first in this JVM, DriverManager holds
        // only the copy from Quarkus's class loader, which it will not hand to code outside it ("no suitable driver").
        Class.forName("org.h2.Driver");
        db = RegistryDb.open(DbConfig.resolve(home, null));
        Registry reg = db.registry();
        String yaml = "fixture: evidence\n";
        String run = reg.createRun(new NewRun("credit", "credit.yaml", yaml, sha(yaml), 7, "direct", "cpu", "test", "alice"));
        runId = run;
        String data = stage(reg, run, "data", "ingest.csv", 0, "DATASET", List.of(), List.of(), List.of(
                new FindingRecord("INFO", "ingest.rows", null, "read 1000 rows"),
                new FindingRecord("WARNING", "privacy.direct_identifier", "email",
                        "column 'email' looks like a direct identifier (98% of values are e-mail addresses)")));
        List<MetricRecord> dp = new ArrayList<>(List.of(m("privacy.epsilon", 3.0, null, null), m("privacy.delta", 1e-5, null, null),
                m("privacy.noise_multiplier", 1.1, null, null), m("privacy.clip", 1.0, null, null),
                m("privacy.sampling_rate", 0.01, null, null), m("privacy.steps", 1200, null, null),
                m("best_epoch", 11, null, null)));
        for (int e = 1; e <= 12; e++) {
            dp.add(m("train_loss", 1.0 / e, "train", "epoch=" + e));
            dp.add(m("val_loss", 1.2 / e, "validation", "epoch=" + e));
            dp.add(m("val_accuracy", 0.5 + e / 40.0, "validation", "epoch=" + e));
        }
        String dpMlp = stage(reg, run, "dp_mlp", "train.onnx", 1, "MODEL", List.of(data), dp, List.of(
                new FindingRecord("INFO", "privacy.spent", null, "spent ε 3.0 of a budget of 4.0 (δ 1e-5)")));
        String lr = stage(reg, run, "lr", "train.tribuo", 2, "MODEL", List.of(data), List.of(m("accuracy", 0.9, "validation", null)));
        stage(reg, run, "eval_dp", "evaluate", 3, "EVALUATION", List.of(dpMlp, data), List.of(
                m("roc_auc", 0.8, "test", null), m("roc_auc_ci_low", 0.75, "test", null), m("roc_auc_ci_high", 0.85, "test", null),
                m("accuracy", 0.7, "test", null), m("confusion", 10, "test", "actual=no,predicted=no"),
                m("confusion", 3, "test", "actual=yes,predicted=yes"),
                m("fairness.sex.disparate_impact", 0.72, "test", null), m("fairness.sex.disparate_impact_ci_low", 0.6, "test", null),
                m("fairness.sex.disparate_impact_ci_high", 0.85, "test", null),
                m("fairness.sex.demographic_parity_difference", -0.12, "test", null),
                m("fairness.sex.equal_opportunity_difference", 0.05, "test", null),
                m("fairness.size", 120, "test", "sex=female"), m("fairness.size", 180, "test", "sex=male"),
                m("fairness.selection_rate", 0.3, "test", "sex=female"), m("fairness.selection_rate_ci_low", 0.25, "test", "sex=female"),
                m("fairness.selection_rate_ci_high", 0.35, "test", "sex=female"), m("fairness.selection_rate", 0.42, "test", "sex=male"),
                m("fairness.tpr", 0.6, "test", "sex=female"), m("fairness.tpr", 0.7, "test", "sex=male"),
                m("fairness.fpr", 0.1, "test", "sex=female"), m("fairness.fpr", 0.2, "test", "sex=male"),
                m("fairness.sex_x_age.disparate_impact", 0.65, "test", null),
                m("fairness.selection_rate", 0.2, "test", "sex=female,age=young")), List.of(
                new FindingRecord("WARNING", "fairness.group_too_small", "sex=female,age=old",
                        "group sex=female,age=old has 4 rows in the test split: too few to judge")));
        stage(reg, run, "eval_lr", "evaluate", 4, "EVALUATION", List.of(lr, data), List.of(
                m("roc_auc", 0.9, "test", null), m("accuracy", 0.85, "test", null), m("confusion", 12, "test", "actual=no,predicted=no"),
                m("fairness.sex.disparate_impact", 0.93, "test", null),
                m("fairness.sex.demographic_parity_difference", 0.03, "test", null)));
        stage(reg, run, "audit", "audit.membership", 5, "EVALUATION", List.of(dpMlp, data), List.of(
                m("membership_advantage", 0.04, "test", null), m("membership_auc", 0.52, "test", null),
                m("membership_auc_ci_low", 0.49, "test", null), m("membership_auc_ci_high", 0.55, "test", null),
                m("membership_tpr_at_1pct_fpr", 0.011, "test", null),
                m("membership.loss_threshold.auc", 0.52, "test", null), m("membership.loss_threshold.advantage", 0.04, "test", null),
                m("membership.loss_threshold.tpr_at_1pct_fpr", 0.011, "test", null), m("membership.shadow.auc", 0.51, "test", null),
                m("membership.members", 500, "test", null), m("membership.non_members", 480, "test", null)));
        stage(reg, run, "anon", "anonymize", 6, "DATASET", List.of(data), List.of(m("privacy.k_anonymity", 5, null, null)));
        List<MetricRecord> shap = new ArrayList<>();
        for (int f = 0; f < 20; f++) {
            shap.add(m("mean_abs_shap", 0.01 * (f + 1), "test", "feature=f" + f + ",class=yes"));
            shap.add(m("mean_abs_shap", 0.5, "test", "feature=f" + f + ",class=no"));
        }
        for (int row : new int[] {12, 3}) {
            shap.add(m("shap_base", 0.3, "test", "row=" + row + ",class=yes"));
            shap.add(m("shap_prediction", 0.9, "test", "row=" + row + ",class=yes"));
            shap.add(m("shap_value", 0.4, "test", "row=" + row + ",class=yes,feature=f1"));
            shap.add(m("shap_value", -0.1, "test", "row=" + row + ",class=yes,feature=f2"));
            shap.add(m("shap_base", 0.7, "test", "row=" + row + ",class=no"));
        }
        stage(reg, run, "why_lr", "explain.shap", 7, "EVALUATION", List.of(lr, data), shap);
        reg.registerModelVersion("credit/dp_mlp", run, stageRunOf(reg, run, "dp_mlp"), dpMlp);
        reg.registerModelVersion("credit/lr", run, stageRunOf(reg, run, "lr"), lr);
        Map<String, Double> auc = new LinkedHashMap<>();
        auc.put("eval_dp.roc_auc", 0.8);
        Map<String, Double> gap = new LinkedHashMap<>();
        gap.put("eval_dp.fairness.sex.disparate_impact", 0.72);
        Map<String, Double> missing = new LinkedHashMap<>();
        missing.put("audit.membership_epsilon", null);
        RunStatus status = reg.finishRunWithGates(run, List.of(
                new GateRecord(0, "eval_dp.roc_auc >= 0.75", true, auc, "eval_dp.roc_auc = 0.8 >= 0.75"),
                new GateRecord(1, "eval_dp.fairness.sex.disparate_impact >= 0.8", false, gap,
                        "eval_dp.fairness.sex.disparate_impact = 0.72 < 0.8"),
                new GateRecord(2, "audit.membership_epsilon <= 1", false, missing,
                        "audit.membership_epsilon was not recorded; audit recorded membership_advantage, membership_auc")));
        assertThat(status).isEqualTo(RunStatus.FAILED_GATES);
        RunDetail detail = reg.getRun(run).orElseThrow();
        page = RunPage.of(detail, reg.stageLinks(run), reg.modelVersions(run));
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    @Test
    void modelsSideBySideTieEachModelToItsEvidenceThroughLineage() {
        assertThat(page.models()).extracting(ModelRow::model).containsExactly("dp_mlp", "lr");
        ModelRow dp = page.models().get(0);
        assertThat(dp.evaluation()).isEqualTo("eval_dp");
        assertThat(dp.rocAuc()).isEqualTo("0.8000 [0.7500, 0.8500]");
        assertThat(dp.accuracy()).isEqualTo("0.7000");
        assertThat(dp.worstGap()).as("the intersection's ratio is furthest from parity").isEqualTo("sex_x_age disparate_impact 0.6500");
        assertThat(dp.gapWarning()).contains("sex disparate impact 0.7200").contains("four-fifths");
        assertThat(dp.membership()).isEqualTo("0.0400");
        assertThat(dp.epsilon()).isEqualTo("ε 3.0000 (δ 1.00e-05)");
        assertThat(dp.explanations()).isEmpty();

        ModelRow lr = page.models().get(1);
        assertThat(lr.evaluation()).isEqualTo("eval_lr");
        assertThat(lr.worstGap()).isEqualTo("sex disparate_impact 0.9300");
        assertThat(lr.gapWarning()).isEmpty();
        assertThat(lr.membership()).isEqualTo("not audited");
        assertThat(lr.epsilon()).isEqualTo("not DP-trained");
        assertThat(lr.explanations()).containsExactly("why_lr");
    }

    @Test
    void fairnessGapsCarryParityIntervalsAndTheFourFifthsRuleInWords() {
        assertThat(page.fairness()).extracting(FairnessView::stageId).containsExactly("eval_dp", "eval_lr");
        FairnessView f = page.fairness().get(0);
        assertThat(f.model()).isEqualTo("dp_mlp");
        assertThat(f.attributes()).extracting(FairnessView.Attribute::name).containsExactly("sex", "sex_x_age");
        FairnessView.Attribute sex = f.attributes().get(0);
        assertThat(sex.gaps()).extracting(FairnessView.Gap::name)
                .containsExactly("disparate_impact", "demographic_parity_difference", "equal_opportunity_difference");
        FairnessView.Gap di = sex.gaps().get(0);
        assertThat(di.interval()).isEqualTo("[0.6000, 0.8500]");
        assertThat(di.parity()).isEqualTo("1 (ratio)");
        assertThat(di.flagged()).isTrue();
        assertThat(di.warning()).contains("four-fifths");
        FairnessView.Gap dpd = sex.gaps().get(1);
        assertThat(dpd.parity()).isEqualTo("0 (difference)");
        assertThat(dpd.distance()).isEqualTo(0.12, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(dpd.flagged()).isFalse();
        assertThat(page.fairness().get(1).attributes().get(0).gaps().get(0).flagged()).as("0.93 passes").isFalse();

        assertThat(sex.groupColumns()).containsExactly("size", "selection_rate", "tpr", "fpr");
        assertThat(sex.groups()).extracting(FairnessView.GroupRow::group).containsExactly("female", "male");
        assertThat(sex.groups().get(0).cells()).containsExactly("120", "0.3000 [0.2500, 0.3500]", "0.6000", "0.1000");
        assertThat(sex.charts()).extracting(FairnessView.Figure::caption)
                .containsExactly("selection_rate per sex group", "tpr per sex group", "fpr per sex group");
        String selection = sex.charts().get(0).svg().getValue();
        assertThat(bars(selection)).isEqualTo(2);
        assertThat(selection).contains("0.3000 [0.2500, 0.3500]").contains("class=\"interval\"");

        FairnessView.Attribute both = f.attributes().get(1);
        assertThat(both.groups()).extracting(FairnessView.GroupRow::group).containsExactly("female × young");
    }

    @Test
    void privacyShowsTheAuditItsAttacksDifferentialPrivacyAndKAnonymity() {
        PrivacyView p = page.privacy();
        assertThat(p.audits()).hasSize(1);
        PrivacyView.Audit a = p.audits().get(0);
        assertThat(a.model()).isEqualTo("dp_mlp");
        assertThat(a.auc()).isEqualTo("0.5200 [0.4900, 0.5500]");
        assertThat(a.tprAt1pctFpr()).isEqualTo("0.0110");
        assertThat(a.members()).isEqualTo("500");
        assertThat(a.nonMembers()).isEqualTo("480");
        assertThat(a.attacks()).extracting(PrivacyView.Attack::name).containsExactly("loss_threshold", "shadow");
        assertThat(a.attacks().get(0).values()).containsExactly("0.5200", "0.0400", "0.0110");
        assertThat(a.attacks().get(1).values()).containsExactly("0.5100", "", "");
        assertThat(p.dp()).extracting(PrivacyView.Dp::stageId).containsExactly("dp_mlp");
        assertThat(p.dp().get(0).steps()).isEqualTo("1200");
        assertThat(p.kAnonymity()).containsExactly(new PrivacyView.KAnonymity("anon", "5"));
    }

    @Test
    void learningCurvesAreInEpochOrderWithTheKeptEpochMarked() {
        assertThat(page.curves()).extracting(LearningCurve::stageId).containsExactly("dp_mlp");
        LearningCurve c = page.curves().get(0);
        assertThat(c.epochs()).isEqualTo(12);
        assertThat(c.bestEpoch()).isEqualTo(11);
        assertThat(c.finals()).containsExactly("train_loss 0.0909", "val_loss 0.1091", "val_accuracy 0.7750");
        String svg = c.chart().getValue();
        for (String series : LearningCurve.SERIES) {
            Matcher points = Pattern.compile("data-series=\"" + series + "\"[^>]*points=\"([^\"]*)\"").matcher(svg);
            assertThat(points.find()).as(series).isTrue();
            String[] pairs = points.group(1).split(" ");
            assertThat(pairs).as(series).hasSize(12);
            double previous = -1;
            for (String pair : pairs) {
                double x = Double.parseDouble(pair.split(",")[0]);
                assertThat(x).as("x grows: epoch 10 after 9, not after 1").isGreaterThan(previous);
                previous = x;
            }
        }
        assertThat(svg).contains("best epoch 11").doesNotContain("http");
    }

    @Test
    void shapShowsTheTopFeaturesOfTheLastClassAndLocalRowsThatAddUp() {
        assertThat(page.explanations()).hasSize(1);
        ShapView s = page.explanations().get(0);
        assertThat(s.model()).isEqualTo("lr");
        assertThat(s.className()).isEqualTo("yes");
        assertThat(s.features()).isEqualTo(20);
        assertThat(s.top()).hasSize(ShapView.TOP);
        assertThat(s.top().get(0).label()).isEqualTo("f19");
        assertThat(s.top().get(0).value()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.top().get(14).label()).isEqualTo("f5");
        assertThat(bars(s.chart().getValue())).isEqualTo(ShapView.TOP);
        assertThat(s.chart().getValue()).contains(">0.2000</text>");
        assertThat(s.rows()).extracting(ShapView.LocalExplanation::row).containsExactly("3", "12");
        ShapView.LocalExplanation r = s.rows().get(0);
        assertThat(r.base()).isEqualTo("0.3000");
        assertThat(r.prediction()).isEqualTo("0.9000");
        assertThat(r.contributions()).extracting(ShapView.Contribution::feature).containsExactly("f1", "f2");
        assertThat(r.contributions().get(1).value()).isEqualTo("-0.1000");
        assertThat(r.contributions().get(1).widthPercent()).isEqualTo(25);
        assertThat(r.rest()).as("0.9 - 0.3 - (0.4 - 0.1)").isEqualTo("+0.3000");
    }

    @Test
    void gatesReadPassOrFailInWordsWithTheirValuesAndDetail() {
        assertThat(page.failedGates()).isTrue();
        GatesView g = page.gates();
        assertThat(g.absence()).isEmpty();
        assertThat(g.gates()).extracting(GatesView.Gate::verdict).containsExactly("PASS", "FAIL", "FAIL");
        assertThat(g.gates()).extracting(GatesView.Gate::number).containsExactly(1, 2, 3);
        assertThat(g.gates().get(0).values()).containsExactly("eval_dp.roc_auc = 0.8000");
        assertThat(g.gates().get(1).values()).containsExactly("eval_dp.fairness.sex.disparate_impact = 0.7200");
        assertThat(g.gates().get(1).detail()).isEqualTo("eval_dp.fairness.sex.disparate_impact = 0.72 < 0.8");
        assertThat(g.gates().get(2).values()).as("a result the stage did not record").containsExactly("audit.membership_epsilon: not recorded");
        assertThat(g.failed()).extracting(GatesView.Gate::expression)
                .containsExactly("eval_dp.fairness.sex.disparate_impact >= 0.8", "audit.membership_epsilon <= 1");
        assertThat(GatesView.tally("FAILED_GATES", page.run().gates()))
                .isEqualTo("FAIL: 2 of 3 failed (eval_dp.fairness.sex.disparate_impact >= 0.8; audit.membership_epsilon <= 1)");
        assertThat(GatesView.tally("SUCCEEDED", page.run().gates().subList(0, 1))).isEqualTo("PASS: 1 passed");
        assertThat(GatesView.tally("SUCCEEDED", List.of())).isEqualTo("none");
        assertThat(GatesView.tally("FAILED", List.of())).isEqualTo("not checked");
    }

    @Test
    void findingsListWarningsFirstWithStageCodeSubjectAndMessage() {
        assertThat(page.findings()).extracting(FindingView::code).containsExactly(
                "privacy.direct_identifier", "fairness.group_too_small", "ingest.rows", "privacy.spent");
        assertThat(page.warnings()).isEqualTo(2);
        FindingView first = page.findings().get(0);
        assertThat(first.stageId()).isEqualTo("data");
        assertThat(first.subject()).isEqualTo("email");
        assertThat(first.message()).contains("direct identifier");
        assertThat(page.findings().get(3).stageId()).isEqualTo("dp_mlp");
        assertThat(page.findings().get(2).subject()).isNull();
    }

    @Test
    void modelVersionsAreListedForReviewAndTheRegistryRefusesToApproveAFailedGatesRun() {
        assertThat(page.versions()).extracting(ModelVersionView::stageId).containsExactly("dp_mlp", "lr");
        ModelVersionView lr = page.versions().get(1);
        assertThat(lr.name()).isEqualTo("credit/lr");
        assertThat(lr.version()).isEqualTo(1);
        assertThat(lr.status()).isEqualTo("CANDIDATE");
        assertThat(lr.runId()).isEqualTo(runId);
        assertThat(db.registry().modelVersion(lr.id())).contains(lr);
        assertThat(page.versionOf("lr")).isEqualTo("v1 candidate");
        assertThat(page.versionOf("eval_lr")).isEqualTo("not registered");
        assertThat(db.registry().modelVersion("no-such-version")).isEmpty();
        assertThatThrownBy(() -> db.registry().approveModel(lr.id(), "alice"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FAILED_GATES")
                .hasMessageContaining("eval_dp.fairness.sex.disparate_impact >= 0.8");
        assertThat(db.registry().modelStatus(lr.id())).isEqualTo(ModelStatus.CANDIDATE);
        assertThat(db.registry().gatesOfRuns(List.of(runId)).get(runId)).hasSize(3);
        assertThat(db.registry().gatesOfRuns(List.of())).isEmpty();
    }

    @Test
    void chartsEscapeNamesFromTheData() {
        String svg = Charts.barChart("x", List.of(Charts.Bar.of("a<b & \"c\"", 1)), Double.NaN, "t").getValue();
        assertThat(svg).contains("a&lt;b &amp; &quot;c&quot;").doesNotContain("a<b");
    }

    private static int bars(String svg) {
        return svg.split("<g class=\"bar\"", -1).length - 1;
    }

    private static String stage(Registry reg, String run, String id, String type, int position, String kind,
                                List<String> inputs, List<MetricRecord> metrics) throws Exception {
        return stage(reg, run, id, type, position, kind, inputs, metrics, List.of());
    }

    private static String stage(Registry reg, String run, String id, String type, int position, String kind,
                                List<String> inputs, List<MetricRecord> metrics, List<FindingRecord> findings) throws Exception {
        String stageRun = reg.startStage(run, new StageStart(id, type, position, sha(run + id), "{}", "{}"));
        String content = run + "/" + id;
        String artifact = reg.putArtifact(new ArtifactRecord(null, kind, "file:///a/" + sha(content), sha(content), 1, Map.of()));
        reg.finishStageRan(stageRun, artifact, inputs, id + " done", null, metrics, findings);
        return artifact;
    }

    private static String stageRunOf(Registry reg, String run, String stageId) {
        return reg.getRun(run).orElseThrow().stages().stream().filter(s -> s.stageId().equals(stageId)).findFirst()
                .orElseThrow().id();
    }

    private static MetricRecord m(String name, double value, String split, String slice) {
        return new MetricRecord(name, value, split, slice);
    }

    private static String sha(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
