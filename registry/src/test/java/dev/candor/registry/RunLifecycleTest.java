package dev.candor.registry;

import static dev.candor.registry.Fixtures.artifact;
import static dev.candor.registry.Fixtures.newRun;
import static dev.candor.registry.Fixtures.rows;
import static dev.candor.registry.Fixtures.sha;
import static dev.candor.registry.Fixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A run that computes every stage, then a rerun served from cache that fails late: everything the engine records. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.Kind.class)
class RunLifecycleTest {
    private static TestDb db;
    private static RegistryDb registryDb;
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T09:00:00.123456Z"));

    @Parameter
    TestDb.Kind kind;

    @BeforeParameterizedClassInvocation
    static void open(TestDb.Kind kind) {
        db = TestDb.create(kind);
        registryDb = RegistryDb.open(db.config(), CLOCK);
    }

    @AfterParameterizedClassInvocation
    static void close() {
        // Null-safe: when opening failed (PostgreSQL unreachable), that failure is the one to report.
        try (TestDb opened = db; RegistryDb registry = registryDb) {
            db = null;
            registryDb = null;
        }
    }

    private static Registry registry() {
        return registryDb.registry();
    }

    private static void tick() {
        CLOCK.advance(Duration.ofMillis(1500));
    }

    @Test
    void aComputedRunThenACachedRerunThatFails() {
        String yaml = "metadata: {name: credit-risk}\n";
        Registry reg = registry();

        // Run 1: every stage computes.
        String run1 = reg.createRun(newRun("credit-risk", yaml));
        String dataset = reg.putArtifact(artifact("DATASET", "rows of credit data"));
        String model = reg.putArtifact(artifact("MODEL", "onnx bytes"));
        String evaluation = reg.putArtifact(artifact("EVALUATION", "evaluation json"));
        Instant run1Start = CLOCK.instant();

        String data1 = reg.startStage(run1, stage("data", "ingest.csv", 0, "data-v1"));
        tick();
        reg.finishStageRan(data1, dataset, List.of(), "1000 rows", "no earlier run", List.of());
        String train1 = reg.startStage(run1, stage("train", "train.tribuo", 1, "train-v1"));
        tick();
        reg.finishStageRan(train1, model, List.of(dataset), "logistic regression", "no earlier run",
                List.of(new MetricRecord("accuracy", 0.91, "train", null)));
        String eval1 = reg.startStage(run1, stage("eval", "evaluate", 2, "eval-v1"));
        tick();
        reg.finishStageRan(eval1, evaluation, List.of(model, dataset), "auc 0.8", "no earlier run", List.of(
                new MetricRecord("accuracy", 0.75, "test", null),
                new MetricRecord("roc_auc", 0.8, "test", null),
                new MetricRecord("accuracy", 0.70, "test", "sex=female")));
        reg.finishRun(run1, RunStatus.SUCCEEDED, null);

        // Run 2: same YAML; data and train come from the cache, eval fails, report is skipped.
        tick();
        String run2 = reg.createRun(newRun("credit-risk", yaml));
        String data2 = reg.startStage(run2, stage("data", "ingest.csv", 0, "data-v1"));
        CachedStage cachedData = reg.findCached(sha("data-v1")).orElseThrow();
        assertThat(cachedData.stageRunId()).isEqualTo(data1);
        assertThat(cachedData.runId()).isEqualTo(run1);
        assertThat(cachedData.summary()).isEqualTo("1000 rows");
        assertThat(cachedData.output().id()).isEqualTo(dataset);
        assertThat(cachedData.output().metadata()).containsEntry("rows", "19");
        tick();
        reg.finishStageCached(data2, cachedData, List.of(), "same fingerprint as run " + run1);

        String train2 = reg.startStage(run2, stage("train", "train.tribuo", 1, "train-v1"));
        CachedStage cachedTrain = reg.findCached(sha("train-v1")).orElseThrow();
        reg.finishStageCached(train2, cachedTrain, List.of(dataset, dataset), "same fingerprint");

        String eval2 = reg.startStage(run2, stage("eval", "evaluate", 2, "eval-v2"));
        tick();
        reg.failStage(eval2, "DataException: column 'age' row 12: 'abc' is not a number", "java.lang...\n\tat x");
        reg.skipStage(run2, stage("report", "report", 3, "report-v1"), "not run: stage 'eval' failed");
        reg.finishRun(run2, RunStatus.FAILED, "stage 'eval' failed");

        // The latest successful stage run with the fingerprint is now run 2's cached one, with the same output.
        CachedStage latest = reg.findCached(sha("data-v1")).orElseThrow();
        assertThat(latest.stageRunId()).isEqualTo(data2);
        assertThat(latest.output().id()).isEqualTo(dataset);
        assertThat(reg.findCached(sha("eval-v2"))).as("a failed stage is never a cache entry").isEmpty();
        assertThat(reg.findCached(sha("report-v1"))).as("a skipped stage is never a cache entry").isEmpty();

        RunDetail first = reg.getRun(run1).orElseThrow();
        assertThat(first.summary().status()).isEqualTo("SUCCEEDED");
        assertThat(first.summary().startedAt()).isEqualTo(run1Start);
        assertThat(first.summary().durationMs()).isEqualTo(4500L);
        assertThat(first.summary().keyMetrics()).containsExactly(
                java.util.Map.entry("accuracy", 0.75), java.util.Map.entry("roc_auc", 0.8));
        assertThat(first.stages()).extracting(StageRunView::stageId, StageRunView::status, StageRunView::cacheHit, StageRunView::durationMs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("data", "SUCCEEDED", false, 1500L),
                        org.assertj.core.groups.Tuple.tuple("train", "SUCCEEDED", false, 1500L),
                        org.assertj.core.groups.Tuple.tuple("eval", "SUCCEEDED", false, 1500L));
        assertThat(first.stages().get(1).output().kind()).isEqualTo("MODEL");
        assertThat(first.stages().get(1).output().id()).isEqualTo(model);
        assertThat(first.seed()).isEqualTo(7L);
        assertThat(first.pipelineFile()).isEqualTo("credit-risk.yaml");
        assertThat(first.yamlSha256()).isEqualTo(sha(yaml));

        RunDetail second = reg.getRun(run2).orElseThrow();
        assertThat(second.summary().status()).isEqualTo("FAILED");
        assertThat(second.error()).isEqualTo("stage 'eval' failed");
        assertThat(second.summary().stages()).isEqualTo(4);
        assertThat(second.summary().cachedStages()).isEqualTo(2);
        assertThat(second.stages()).extracting(StageRunView::stageId, StageRunView::status, StageRunView::cacheHit, StageRunView::reusedFrom)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("data", "SUCCEEDED", true, data1),
                        org.assertj.core.groups.Tuple.tuple("train", "SUCCEEDED", true, train1),
                        org.assertj.core.groups.Tuple.tuple("eval", "FAILED", false, null),
                        org.assertj.core.groups.Tuple.tuple("report", "SKIPPED", false, null));
        StageRunView cachedTrainView = second.stages().get(1);
        assertThat(cachedTrainView.summary()).isEqualTo("logistic regression");
        assertThat(cachedTrainView.cacheReason()).isEqualTo("same fingerprint");
        assertThat(cachedTrainView.output().id()).isEqualTo(model);
        assertThat(second.stages().get(2).error()).startsWith("DataException: column 'age'");
        assertThat(second.stages().get(3).summary()).isEqualTo("not run: stage 'eval' failed");
        assertThat(second.stages().get(3).startedAt()).isNull();
        // The cached train stage carries train's metrics, attributed to this run's train stage.
        assertThat(second.metrics()).containsExactly(new MetricView("train", "accuracy", 0.91, "train", null));
        assertThat(rows(db.config(), "SELECT error_detail FROM stage_run WHERE id = ?", eval2)).containsExactly("java.lang...\n\tat x");

        // Lineage: run 2's cached train read the dataset and "produced" the same model.
        assertThat(rows(db.config(), "SELECT l.direction, a.kind FROM lineage l JOIN artifact a ON a.id = l.artifact_id"
                + " WHERE l.stage_run_id = ? ORDER BY l.direction", train2)).containsExactly("IN|DATASET", "OUT|MODEL");
        assertThat(rows(db.config(), "SELECT l.direction, a.kind FROM lineage l JOIN artifact a ON a.id = l.artifact_id"
                + " WHERE l.stage_run_id = ? ORDER BY a.kind", eval1)).containsExactly("IN|DATASET", "OUT|EVALUATION", "IN|MODEL");
        assertThat(rows(db.config(), "SELECT COUNT(*) FROM lineage WHERE stage_run_id IN (?, ?)", eval2, data2)).containsExactly("1");

        // One pipeline, one version: the same YAML text twice.
        assertThat(rows(db.config(), "SELECT COUNT(*) FROM pipeline_version v JOIN pipeline p ON p.id = v.pipeline_id"
                + " WHERE p.name = 'credit-risk'")).containsExactly("1");
        assertThat(rows(db.config(), "SELECT action, actor, entity_id FROM audit_event WHERE entity_type = 'run'"
                + " AND entity_id IN (?, ?) ORDER BY at", run1, run2)).containsExactly(
                "run.started|alice|" + run1, "run.succeeded|alice|" + run1, "run.started|alice|" + run2, "run.failed|alice|" + run2);

        // previousStage: the same stage of the same pipeline in another run, whatever its status.
        PreviousStage previousEval = reg.previousStage("credit-risk", "eval", run1).orElseThrow();
        assertThat(previousEval.runId()).isEqualTo(run2);
        assertThat(previousEval.fingerprint()).isEqualTo(sha("eval-v2"));
        assertThat(previousEval.inputHashesJson()).isEqualTo("{\"in\":\"eval-v2\"}");
        assertThat(reg.previousStage("credit-risk", "eval", run2).orElseThrow().fingerprint()).isEqualTo(sha("eval-v1"));
        assertThat(reg.previousStage("credit-risk", "report", run1)).as("a skipped stage never ran").isEmpty();
        assertThat(reg.previousStage("another-pipeline", "eval", run1)).isEmpty();
    }

    @Test
    void aNewYamlTextIsANewPipelineVersion() {
        String first = registry().createRun(newRun("versions", "a: 1\n"));
        String second = registry().createRun(newRun("versions", "a: 2\n"));
        String third = registry().createRun(newRun("versions", "a: 1\n"));
        assertThat(rows(db.config(), "SELECT COUNT(*) FROM pipeline WHERE name = 'versions'")).containsExactly("1");
        assertThat(rows(db.config(), "SELECT COUNT(DISTINCT pipeline_version_id) FROM run WHERE id IN (?, ?, ?)",
                first, second, third)).containsExactly("2");
        assertThat(registry().getRun(third).orElseThrow().yamlSha256()).isEqualTo(sha("a: 1\n"));
        List.of(first, second, third).forEach(id -> registry().finishRun(id, RunStatus.SUCCEEDED, null));
    }

    @Test
    void artifactsAreOnePerHashAndKind() {
        ArtifactRecord bytes = artifact("DATASET", "same bytes");
        String id = registry().putArtifact(bytes);
        assertThat(registry().putArtifact(bytes.withId("ignored-because-it-exists"))).isEqualTo(id);
        assertThat(registry().putArtifact(new ArtifactRecord(null, "EVALUATION", bytes.uri(), bytes.sha256(), 10, null)))
                .as("the same bytes as another kind are another artifact").isNotEqualTo(id);
        String chosen = "0f9c2d1e-0000-4000-8000-000000000001";
        assertThat(registry().putArtifact(artifact("MODEL", "fresh").withId(chosen))).isEqualTo(chosen);
        assertThat(rows(db.config(), "SELECT metadata_json FROM artifact WHERE id = ?", id)).containsExactly("{\"rows\":\"10\"}");
    }

    @Test
    void modelVersionsAreNumberedPerNameAndIdempotentPerStageRun() {
        String run = registry().createRun(newRun("models", "m: 1\n"));
        String model = registry().putArtifact(artifact("MODEL", "model bytes"));
        String trainA = registry().startStage(run, stage("a", "train.tribuo", 0, "model-a"));
        registry().finishStageRan(trainA, model, List.of(), "a", null, List.of());
        String trainB = registry().startStage(run, stage("b", "train.tribuo", 1, "model-b"));
        registry().finishStageRan(trainB, model, List.of(), "b", null, List.of());

        String v1 = registry().registerModelVersion("credit", run, trainA, model);
        assertThat(registry().registerModelVersion("credit", run, trainA, model)).isEqualTo(v1);
        String v2 = registry().registerModelVersion("credit", run, trainB, model);
        String other = registry().registerModelVersion("sepsis", run, trainB, model);
        registry().finishRun(run, RunStatus.SUCCEEDED, null);

        assertThat(rows(db.config(), "SELECT name, version, status FROM model_version WHERE id IN (?, ?, ?) ORDER BY name, version",
                v1, v2, other)).containsExactly("credit|1|CANDIDATE", "credit|2|CANDIDATE", "sepsis|1|CANDIDATE");
        assertThat(rows(db.config(), "SELECT COUNT(*) FROM audit_event WHERE action = 'model.registered' AND entity_id IN (?, ?, ?)",
                v1, v2, other)).containsExactly("3");
        assertThatThrownBy(() -> registry().registerModelVersion("credit", "no-such-run", trainA, model))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no run with id no-such-run");
    }

    @Test
    void auditEventsAreAppended() {
        registry().audit("bob", "model.approved", "model_version", "mv-1", "approved after review of run 42");
        assertThat(rows(db.config(), "SELECT actor, action, entity_type, details FROM audit_event WHERE entity_id = 'mv-1'"))
                .containsExactly("bob|model.approved|model_version|approved after review of run 42");
        assertThatThrownBy(() -> registry().audit(" ", "x", "run", "r", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audit: actor is blank");
    }

    @Test
    void misuseIsRefusedWithTheReason() {
        String run = registry().createRun(newRun("guards", "g: 1\n"));
        String st = registry().startStage(run, stage("s", "ingest.csv", 0, "guards-s"));
        registry().failStage(st, "boom", null);
        assertThatThrownBy(() -> registry().finishStageRan(st, null, List.of(), "late", null, List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stage 's'").hasMessageContaining("is FAILED");
        assertThatThrownBy(() -> registry().finishRun(run, RunStatus.RUNNING, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not RUNNING");
        registry().finishRun(run, RunStatus.FAILED, "boom");
        assertThatThrownBy(() -> registry().startStage(run, stage("t", "evaluate", 1, "guards-t")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is FAILED");
        assertThatThrownBy(() -> registry().finishRun(run, RunStatus.SUCCEEDED, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot end twice");
        assertThatThrownBy(() -> registry().failStage("no-such-stage-run", "x", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no stage run with id no-such-stage-run");
        assertThatThrownBy(() -> new MetricRecord("roc_auc", Double.NaN, "test", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric 'roc_auc' is NaN");
        assertThatThrownBy(() -> new StageStart("bad", "x", 0, "abc", "{}", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 64 lowercase hex digits");
    }

    @Test
    void concurrentWritersShareOnePipelineArtifactAndNumberModelsWithoutGaps() throws Exception {
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            List<java.util.concurrent.Future<String[]>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int n = t;
                results.add(pool.submit(() -> {
                    start.await();
                    String run = registry().createRun(newRun("concurrent", "c: 1\n"));
                    String model = registry().putArtifact(artifact("MODEL", "the same model bytes"));
                    String st = registry().startStage(run, stage("train", "train.tribuo", 0, "concurrent-" + n));
                    registry().finishStageRan(st, model, List.of(), "trained", null, List.of());
                    String version = registry().registerModelVersion("concurrent-model", run, st, model);
                    registry().finishRun(run, RunStatus.SUCCEEDED, null);
                    return new String[] {run, model, version};
                }));
            }
            java.util.Set<String> models = new java.util.HashSet<>();
            List<String> versions = new java.util.ArrayList<>();
            for (var f : results) {
                String[] r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                models.add(r[1]);
                versions.add(r[2]);
            }
            assertThat(models).hasSize(1);
            assertThat(rows(db.config(), "SELECT COUNT(*) FROM pipeline WHERE name = 'concurrent'")).containsExactly("1");
            assertThat(rows(db.config(), "SELECT version FROM model_version WHERE name = 'concurrent-model' ORDER BY version"))
                    .containsExactly("1", "2", "3", "4");
            assertThat(versions).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }
}
