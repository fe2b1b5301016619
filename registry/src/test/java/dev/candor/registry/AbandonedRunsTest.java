package dev.candor.registry;

import static dev.candor.registry.Fixtures.newRun;
import static dev.candor.registry.Fixtures.rows;
import static dev.candor.registry.Fixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** After a crash, no run stays RUNNING: the next process marks them, and their running stages, FAILED. */
class AbandonedRunsTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void runningRunsAndTheirRunningStagesBecomeFailed(TestDb.Kind kind) {
        try (TestDb db = TestDb.create(kind)) {
            String done;
            String crashed;
            String crashedStage;
            String finishedStage;
            try (RegistryDb before = RegistryDb.open(db.config())) {
                Registry reg = before.registry();
                done = reg.createRun(newRun("crash", "c: 1\n"));
                reg.finishRun(done, RunStatus.SUCCEEDED, null);
                crashed = reg.createRun(newRun("crash", "c: 1\n"));
                finishedStage = reg.startStage(crashed, stage("data", "ingest.csv", 0, "crash-data"));
                reg.finishStageRan(finishedStage, null, List.of(), "ok", null, List.of());
                crashedStage = reg.startStage(crashed, stage("train", "train.tribuo", 1, "crash-train"));
                // The process dies here: nothing more is recorded.
            }
            try (RegistryDb after = RegistryDb.open(db.config())) {
                Registry reg = after.registry();
                assertThat(reg.failAbandonedRuns("abandoned: the process that ran it stopped")).isEqualTo(1);
                assertThat(reg.failAbandonedRuns("again")).as("nothing is left running").isZero();

                RunDetail detail = reg.getRun(crashed).orElseThrow();
                assertThat(detail.summary().status()).isEqualTo("FAILED");
                assertThat(detail.summary().finishedAt()).isNotNull();
                assertThat(detail.error()).isEqualTo("abandoned: the process that ran it stopped");
                assertThat(detail.stages()).extracting(StageRunView::id, StageRunView::status).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(finishedStage, "SUCCEEDED"),
                        org.assertj.core.groups.Tuple.tuple(crashedStage, "FAILED"));
                assertThat(detail.stages().get(1).error()).isEqualTo("abandoned: the process that ran it stopped");
                assertThat(reg.getRun(done).orElseThrow().summary().status()).isEqualTo("SUCCEEDED");
                assertThat(rows(db.config(), "SELECT action FROM audit_event WHERE entity_id = ? ORDER BY at", crashed))
                        .containsExactly("run.started", "run.abandoned");
            }
        }
    }
}
