package dev.candor.registry;

import static dev.candor.registry.Fixtures.artifact;
import static dev.candor.registry.Fixtures.newRun;
import static dev.candor.registry.Fixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The run list (order, limit, counts, headline metrics) and lookup by id prefix. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.Kind.class)
class RunQueriesTest {
    private static TestDb db;
    private static RegistryDb registryDb;
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-04-01T00:00:00Z"));

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

    @Test
    void newestFirstWithCountsAndHeadlineMetrics() {
        Registry reg = registryDb.registry();
        // Tests share the database: start later than anything another test of this class wrote.
        CLOCK.advance(Duration.ofDays(1));
        String older = reg.createRun(newRun("list", "l: 1\n"));
        String ingest = reg.startStage(older, stage("data", "ingest.csv", 0, "list-data"));
        CLOCK.advance(Duration.ofSeconds(2));
        reg.finishStageRan(ingest, reg.putArtifact(artifact("DATASET", "list data")), List.of(), "rows", null, List.of());
        String eval = reg.startStage(older, stage("eval", "evaluate", 1, "list-eval"));
        reg.finishStageRan(eval, reg.putArtifact(artifact("EVALUATION", "list eval")), List.of(), "eval", null, List.of(
                new MetricRecord("log_loss", 0.4, "test", null),
                new MetricRecord("accuracy", 0.8, "test", null),
                new MetricRecord("accuracy", 0.9, "validation", null),
                new MetricRecord("accuracy", 0.5, "test", "sex=female"),
                new MetricRecord("precision", 0.7, "test", null)));
        // A second evaluation of the same headline metric does not mix into the headline: the first stage's are shown.
        String eval2 = reg.startStage(older, stage("eval2", "evaluate", 2, "list-eval2"));
        reg.finishStageRan(eval2, reg.putArtifact(artifact("EVALUATION", "list eval 2")), List.of(), "eval2", null,
                List.of(new MetricRecord("accuracy", 0.85, "test", null)));
        CLOCK.advance(Duration.ofSeconds(1));
        reg.finishRun(older, RunStatus.SUCCEEDED, null);

        CLOCK.advance(Duration.ofSeconds(1));
        String cachedRun = reg.createRun(newRun("list", "l: 1\n"));
        String cached = reg.startStage(cachedRun, stage("data", "ingest.csv", 0, "list-data"));
        reg.finishStageCached(cached, reg.findCached(Fixtures.sha("list-data")).orElseThrow(), List.of(), "cached");
        CLOCK.advance(Duration.ofSeconds(1));
        String newest = reg.createRun(newRun("other", "o: 1\n"));

        List<RunSummary> runs = reg.listRuns(3);
        assertThat(runs).extracting(RunSummary::id).containsExactly(newest, cachedRun, older);
        assertThat(reg.listRuns(2)).extracting(RunSummary::id).containsExactly(newest, cachedRun);

        RunSummary first = runs.get(2);
        assertThat(first.pipelineName()).isEqualTo("list");
        assertThat(first.status()).isEqualTo("SUCCEEDED");
        assertThat(first.durationMs()).isEqualTo(3000L);
        assertThat(first.stages()).isEqualTo(3);
        assertThat(first.cachedStages()).isZero();
        assertThat(first.keyStage()).isEqualTo("eval");
        assertThat(new ArrayList<>(first.keyMetrics().entrySet())).containsExactly(
                Map.entry("accuracy", 0.8), Map.entry("log_loss", 0.4));

        RunSummary second = runs.get(1);
        assertThat(second.status()).isEqualTo("RUNNING");
        assertThat(second.finishedAt()).isNull();
        assertThat(second.durationMs()).isNull();
        assertThat(second.stages()).isEqualTo(1);
        assertThat(second.cachedStages()).isEqualTo(1);
        assertThat(second.keyMetrics()).isEmpty();
        assertThat(second.keyStage()).isNull();

        assertThat(runs.get(0).pipelineName()).isEqualTo("other");
        assertThat(runs.get(0).stages()).isZero();
        reg.finishRun(cachedRun, RunStatus.SUCCEEDED, null);
        reg.finishRun(newest, RunStatus.SUCCEEDED, null);
        assertThatThrownBy(() -> reg.listRuns(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is 0");
    }

    @Test
    void lookupByUniquePrefixAndAmbiguousPrefixNamesTheRuns() {
        Registry reg = registryDb.registry();
        // 17 runs: two of them must share their first hex digit.
        Map<Character, List<String>> byFirst = new HashMap<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            String id = reg.createRun(newRun("prefixes", "p: 1\n"));
            reg.finishRun(id, RunStatus.SUCCEEDED, null);
            all.add(id);
            byFirst.computeIfAbsent(id.charAt(0), c -> new ArrayList<>()).add(id);
        }
        List<String> sharing = byFirst.values().stream().filter(ids -> ids.size() > 1).findFirst().orElseThrow();
        String prefix = sharing.get(0).substring(0, 1);

        assertThatThrownBy(() -> reg.getRun(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run id prefix '" + prefix + "' matches")
                .hasMessageContaining(sharing.get(0)).hasMessageContaining(sharing.get(1))
                .hasMessageContaining("give more characters");

        String id = all.get(5);
        assertThat(reg.getRun(id).orElseThrow().summary().id()).isEqualTo(id);
        assertThat(reg.getRun(id.substring(0, 13)).orElseThrow().summary().id()).isEqualTo(id);
        assertThat(reg.getRun(id.substring(0, 13).toUpperCase()).orElseThrow().summary().id()).as("case-insensitive").isEqualTo(id);
        assertThat(reg.getRun("ffffffff-ffff-ffff-ffff-ffffffffffff")).isEmpty();
        assertThat(reg.getRun("not a run id%")).isEmpty();
        assertThatThrownBy(() -> reg.getRun(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run id is blank");
    }

    @Test
    void stageLinksTieEachStageToTheStagesWhoseOutputsItRead() {
        Registry reg = registryDb.registry();
        String run = reg.createRun(newRun("links", "k: 1\n"));
        String data = reg.startStage(run, stage("data", "ingest.csv", 0, "links-data"));
        String dataset = reg.putArtifact(artifact("DATASET", "links data"));
        reg.finishStageRan(data, dataset, List.of(), "rows", null, List.of());
        String lr = reg.startStage(run, stage("lr", "train.tribuo", 1, "links-lr"));
        String model = reg.putArtifact(artifact("MODEL", "links model"));
        reg.finishStageRan(lr, model, List.of(dataset), "model", null, List.of());
        String eval = reg.startStage(run, stage("eval_lr", "evaluate", 2, "links-eval"));
        // Read twice (model and dataset through two inputs of the same artifact): one edge each.
        reg.finishStageRan(eval, reg.putArtifact(artifact("EVALUATION", "links eval")), List.of(model, dataset, model),
                "eval", null, List.of());
        reg.finishRun(run, RunStatus.SUCCEEDED, null);

        assertThat(reg.stageLinks(run)).containsExactlyInAnyOrder(
                new StageLink("lr", "data", "DATASET"),
                new StageLink("eval_lr", "lr", "MODEL"),
                new StageLink("eval_lr", "data", "DATASET"));
        assertThat(reg.stageLinks(run).get(0).stageId()).as("plan order of the reading stage").isEqualTo("lr");
        assertThat(reg.stageLinks("ffffffff-ffff-ffff-ffff-ffffffffffff")).isEmpty();
    }
}
