package dev.candor.registry;

import static dev.candor.registry.Fixtures.artifact;
import static dev.candor.registry.Fixtures.newRun;
import static dev.candor.registry.Fixtures.rows;
import static dev.candor.registry.Fixtures.sha;
import static dev.candor.registry.Fixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Gate results, findings (copied to cached stages), FAILED_GATES, and the approval rule: on H2 and PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.Kind.class)
class GatesAndFindingsTest {
    private static TestDb db;
    private static RegistryDb registryDb;
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-04-01T08:00:00Z"));

    @Parameter
    TestDb.Kind kind;

    @BeforeParameterizedClassInvocation
    static void open(TestDb.Kind kind) {
        db = TestDb.create(kind);
        registryDb = RegistryDb.open(db.config(), CLOCK);
    }

    @AfterParameterizedClassInvocation
    static void close() {
        try (TestDb opened = db; RegistryDb registry = registryDb) {
            db = null;
            registryDb = null;
        }
    }

    private record Ran(String runId, String trainStageRunId, String modelVersionId) { }

    /** A run with a train stage (model + one finding) and an evaluation (two findings), not yet finished. */
    private static Ran runWithModel(String pipeline, String salt) {
        Registry reg = registryDb.registry();
        String run = reg.createRun(newRun(pipeline, "name: " + pipeline + salt));
        String model = reg.putArtifact(artifact("MODEL", "model " + pipeline + salt));
        String train = reg.startStage(run, stage("train", "train.tribuo", 0, "train-" + pipeline + salt));
        reg.finishStageRan(train, model, List.of(), "lr", "first run", List.of(), List.of(
                new FindingRecord("INFO", "train.note", null, "trained on 455 rows")));
        String eval = reg.startStage(run, stage("eval", "evaluate", 1, "eval-" + pipeline + salt));
        reg.finishStageRan(eval, reg.putArtifact(artifact("EVALUATION", "eval " + pipeline + salt)), List.of(model), "auc",
                "first run", List.of(new MetricRecord("roc_auc", 0.93, "test", null)), List.of(
                        new FindingRecord("WARNING", "fairness.small_group", "sex=other", "group 'other' has 3 rows"),
                        new FindingRecord("INFO", "evaluate.positive_class", "malignant", "positive class chosen")));
        String mv = reg.registerModelVersion(pipeline + "/train", run, train, model);
        return new Ran(run, train, mv);
    }

    private static GateRecord gate(int position, String expression, boolean passed, Double value) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("eval.roc_auc", value);
        return new GateRecord(position, expression, passed, values, value == null ? "eval.roc_auc was not recorded"
                : "eval.roc_auc = " + value);
    }

    @Test
    void failedGatesEndTheRunFailedGatesAndBlockApproval() throws Exception {
        Registry reg = registryDb.registry();
        Ran r = runWithModel("gated", "1");
        RunStatus status = reg.finishRunWithGates(r.runId(), List.of(gate(0, "eval.roc_auc >= 0.9", true, 0.93),
                gate(1, "eval.roc_auc >= 0.95", false, 0.93), gate(2, "eval.pr_auc >= 0.5", false, null)));

        assertThat(status).isEqualTo(RunStatus.FAILED_GATES);
        RunDetail d = reg.getRun(r.runId()).orElseThrow();
        assertThat(d.summary().status()).isEqualTo("FAILED_GATES");
        assertThat(d.error()).startsWith("2 of 3 gates failed: eval.roc_auc >= 0.95 (eval.roc_auc = 0.93)")
                .contains("eval.pr_auc >= 0.5 (eval.roc_auc was not recorded)");
        assertThat(d.gates()).extracting(GateResultView::position, GateResultView::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, true), org.assertj.core.groups.Tuple.tuple(1, false),
                        org.assertj.core.groups.Tuple.tuple(2, false));
        assertThat(d.gates().get(1).values()).containsExactly(entry("eval.roc_auc", 0.93));
        assertThat(d.gates().get(2).values()).containsEntry("eval.roc_auc", null);
        assertThat(d.gates().get(0).evaluatedAt()).isEqualTo(CLOCK.instant());
        assertThat(reg.listRuns(10)).filteredOn(s -> s.id().equals(r.runId())).extracting(RunSummary::status)
                .containsExactly("FAILED_GATES");

        assertThatThrownBy(() -> reg.approveModel(r.modelVersionId(), "reviewer"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot approve model gated/train v1")
                .hasMessageContaining("ended FAILED_GATES")
                .hasMessageContaining("eval.roc_auc >= 0.95");
        assertThat(reg.modelStatus(r.modelVersionId())).isEqualTo(ModelStatus.CANDIDATE);

        // The dashboard reads the same records through JSON: gate values with a null survive the round trip.
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        assertThat(mapper.readValue(mapper.writeValueAsString(d), RunDetail.class)).isEqualTo(d);
    }

    @Test
    void passedGatesSucceedAndTheModelCanBeApprovedOnce() {
        Registry reg = registryDb.registry();
        Ran r = runWithModel("passing", "1");
        assertThat(reg.finishRunWithGates(r.runId(), List.of(gate(0, "eval.roc_auc >= 0.9", true, 0.93))))
                .isEqualTo(RunStatus.SUCCEEDED);
        assertThat(reg.getRun(r.runId()).orElseThrow().error()).isNull();
        assertThatThrownBy(() -> reg.finishRunWithGates(r.runId(), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot end twice");

        reg.approveModel(r.modelVersionId(), "reviewer");
        reg.approveModel(r.modelVersionId(), "reviewer");
        assertThat(reg.modelStatus(r.modelVersionId())).isEqualTo(ModelStatus.APPROVED);
        assertThat(rows(db.config(), "SELECT actor, action FROM audit_event WHERE entity_id = ? ORDER BY action DESC",
                r.modelVersionId())).containsExactly("alice|model.registered", "reviewer|model.approved");
    }

    @Test
    void aRejectedModelStaysRejectedWithItsReasonInTheAuditLog() {
        Registry reg = registryDb.registry();
        Ran r = runWithModel("rejected", "1");
        reg.finishRunWithGates(r.runId(), List.of(gate(0, "eval.roc_auc >= 0.9", true, 0.93)));
        reg.approveModel(r.modelVersionId(), "reviewer");
        assertThatThrownBy(() -> reg.rejectModel(r.modelVersionId(), "risk-officer", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        reg.rejectModel(r.modelVersionId(), "risk-officer", "calibration drifts for applicants over 60");
        reg.rejectModel(r.modelVersionId(), "risk-officer", "again");
        assertThat(reg.modelStatus(r.modelVersionId())).isEqualTo(ModelStatus.REJECTED);
        assertThatThrownBy(() -> reg.approveModel(r.modelVersionId(), "reviewer"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("it was rejected");
        assertThat(rows(db.config(), "SELECT actor, details FROM audit_event WHERE entity_id = ? AND action = ?",
                r.modelVersionId(), "model.rejected")).containsExactly("risk-officer|model rejected/train v1 rejected"
                + " (its approval is revoked): calibration drifts for applicants over 60");
    }

    @Test
    void aModelOfAFailedRunCannotBeApproved() {
        Registry reg = registryDb.registry();
        Ran r = runWithModel("broken", "1");
        reg.finishRun(r.runId(), RunStatus.FAILED, "stage 'report' failed");
        assertThatThrownBy(() -> reg.approveModel(r.modelVersionId(), "reviewer"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is FAILED");
        assertThatThrownBy(() -> reg.approveModel("no-such-id", "reviewer"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no model version with id no-such-id");
    }

    @Test
    void findingsAreListedWarningsFirstAndCachedStagesCarryACopy() {
        Registry reg = registryDb.registry();
        Ran first = runWithModel("findings", "1");
        reg.finishRunWithGates(first.runId(), List.of());
        RunDetail d = reg.getRun(first.runId()).orElseThrow();
        assertThat(d.findings()).extracting(FindingView::stageId, FindingView::severity, FindingView::code, FindingView::subject)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("eval", "WARNING", "fairness.small_group", "sex=other"),
                        org.assertj.core.groups.Tuple.tuple("train", "INFO", "train.note", null),
                        org.assertj.core.groups.Tuple.tuple("eval", "INFO", "evaluate.positive_class", "malignant"));
        assertThat(d.gates()).isEmpty();

        // A second run serves both stages from the cache: it lists the same findings, against its own stage runs.
        String run2 = reg.createRun(newRun("findings", "name: findings1"));
        for (String id : List.of("train", "eval")) {
            String sr = reg.startStage(run2, stage(id, "t", id.equals("train") ? 0 : 1, id + "-findings1"));
            reg.finishStageCached(sr, reg.findCached(sha(id + "-findings1")).orElseThrow(), List.of(), "unchanged");
        }
        reg.finishRunWithGates(run2, List.of());
        RunDetail cached = reg.getRun(run2).orElseThrow();
        assertThat(cached.findings()).extracting(FindingView::code, FindingView::message)
                .containsExactlyElementsOf(d.findings().stream()
                        .map(f -> org.assertj.core.groups.Tuple.tuple(f.code(), f.message())).toList());
        assertThat(cached.findings()).extracting(FindingView::stageRunId)
                .containsOnlyElementsOf(cached.stages().stream().map(StageRunView::id).toList());
    }

    @Test
    void recordsRejectWhatTheSchemaWouldNot() {
        assertThatThrownBy(() -> new FindingRecord("ERROR", "x", null, "m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[WARNING, INFO]");
        assertThatThrownBy(() -> new GateRecord(-1, "a.b > 1", true, Map.of(), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 0 or more");
    }
}
