package dev.candor.registry;

import static dev.candor.registry.Fixtures.artifact;
import static dev.candor.registry.Fixtures.newRun;
import static dev.candor.registry.Fixtures.rows;
import static dev.candor.registry.Fixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reviews are serialized state transitions (issue 9, item 7): 40 parallel requests on one model version write one
 * audit event per actual change, on H2 and PostgreSQL; reviewer input is one line of bounded text; the rows that change
 * carry an optimistic-lock version.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.Kind.class)
class ModelReviewRaceTest {
    private static final int PARALLEL = 40;
    private static final int MODELS = 8;
    private static TestDb db;
    private static RegistryDb registryDb;

    @Parameter
    TestDb.Kind kind;

    @BeforeParameterizedClassInvocation
    static void open(TestDb.Kind kind) {
        db = TestDb.create(kind);
        registryDb = RegistryDb.open(db.config());
    }

    @AfterParameterizedClassInvocation
    static void close() {
        try (TestDb opened = db; RegistryDb registry = registryDb) {
            db = null;
            registryDb = null;
        }
    }

    @Test
    void fortyParallelRejectionsOfEachModelWriteOneAuditEventEach() throws Exception {
        List<String> versions = succeededModels("reject-race", MODELS);
        List<Callable<Boolean>> requests = new ArrayList<>();
        for (String mv : versions) {
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                requests.add(() -> registryDb.registry().rejectModel(mv, "reviewer-" + n, "reason " + n));
            }
        }
        List<Boolean> changed = runAtOnce(requests);
        assertThat(changed.stream().filter(c -> c).count()).as("calls that changed a state").isEqualTo(MODELS);
        for (String mv : versions) {
            assertThat(registryDb.registry().modelStatus(mv)).isEqualTo(ModelStatus.REJECTED);
            assertThat(events(mv, "model.rejected")).as("rejection events of " + mv).containsExactly("1");
        }
    }

    @Test
    void parallelApprovalsAndRejectionsWriteExactlyOneEventPerStateChange() throws Exception {
        List<String> versions = succeededModels("mixed-race", MODELS);
        List<Callable<Boolean>> requests = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String mv : versions) {
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                targets.add(mv);
                requests.add(n % 2 == 0 ? () -> approveOrRefused(mv, "approver-" + n)
                        : () -> registryDb.registry().rejectModel(mv, "rejecter-" + n, "reason " + n));
            }
        }
        List<Boolean> changed = runAtOnce(requests);
        for (String mv : versions) {
            long changes = 0;
            for (int i = 0; i < changed.size(); i++) {
                if (targets.get(i).equals(mv) && changed.get(i)) changes++;
            }
            // Either approved then rejected (approval revoked), or rejected first and every approval refused.
            assertThat(registryDb.registry().modelStatus(mv)).isEqualTo(ModelStatus.REJECTED);
            assertThat(events(mv, "model.rejected")).containsExactly("1");
            int approvals = Integer.parseInt(events(mv, "model.approved").get(0));
            assertThat(approvals).isBetween(0, 1);
            assertThat(changes).as("calls that changed " + mv + " = its audit events").isEqualTo(1 + approvals);
            assertThat(rows(db.config(), "SELECT lock_version FROM model_version WHERE id = ?", mv))
                    .as("one optimistic-lock increment per change").containsExactly(String.valueOf(1 + approvals));
        }
    }

    @Test
    void aRepeatedDecisionIsANoOpAndRowsThatChangeCarryALockVersion() {
        Registry reg = registryDb.registry();
        String mv = succeededModels("repeat", 1).get(0);
        assertThat(reg.approveModel(mv, "  Dr. Ada Reviewer ")).isTrue();
        assertThat(reg.approveModel(mv, "Dr. Ada Reviewer")).as("approved already").isFalse();
        assertThat(rows(db.config(), "SELECT actor, lock_version FROM audit_event e JOIN model_version m ON m.id = e.entity_id"
                + " WHERE e.entity_id = ? AND e.action = 'model.approved'", mv)).containsExactly("Dr. Ada Reviewer|1");
        assertThat(reg.rejectModel(mv, "risk", "drifts")).isTrue();
        assertThat(reg.rejectModel(mv, "risk", "drifts, said twice")).isFalse();
        assertThat(rows(db.config(), "SELECT details FROM audit_event WHERE entity_id = ? AND action = 'model.rejected'", mv))
                .containsExactly("model repeat0/train v1 rejected (its approval is revoked): drifts");
        String run = reg.modelVersion(mv).orElseThrow().runId();
        assertThat(rows(db.config(), "SELECT r.lock_version, s.lock_version FROM run r JOIN stage_run s ON s.run_id = r.id"
                + " WHERE r.id = ?", run)).as("created 0, ended 1").containsExactly("1|1");
    }

    @Test
    void reviewerInputIsOneLineOfBoundedTextOrRefusedWithTheFieldAndTheLimit() {
        Registry reg = registryDb.registry();
        String mv = succeededModels("input", 1).get(0);
        assertThatThrownBy(() -> reg.approveModel(mv, "Mallory\nINFO model approved by admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("approver name contains the control character U+000A at position 8; it must be one line of"
                        + " printable text (no line breaks, tabs or escape sequences)");
        assertThatThrownBy(() -> reg.rejectModel(mv, "Mallory", "fine\u2028INFO forged"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reason contains the control character U+2028");
        assertThatThrownBy(() -> reg.approveModel(mv, "x".repeat(RegistryLimits.ACTOR + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("approver name is 201 characters long; at most 200 are allowed: shorten it");
        assertThatThrownBy(() -> reg.rejectModel(mv, "ok", "r".repeat(InputLimits.REASON + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason is 4001 characters long; at most 4000");
        assertThatThrownBy(() -> reg.approveModel("x".repeat(10_000), "ok"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10000 characters; ids have 36");
        assertThat(events(mv, "model.approved")).containsExactly("0");
        assertThat(reg.modelStatus(mv)).isEqualTo(ModelStatus.CANDIDATE);
        assertThat(reg.approveModel(mv, "x".repeat(RegistryLimits.ACTOR))).as("exactly at the limit").isTrue();
    }

    @Test
    void theLimitsAreTheColumnSizesOfTheMigratedSchema() {
        assertThat(columnSize("audit_event", "actor")).isEqualTo(RegistryLimits.ACTOR);
        assertThat(columnSize("run", "actor")).isEqualTo(RegistryLimits.ACTOR);
        assertThat(columnSize("model_version", "id")).isEqualTo(RegistryLimits.ID);
        assertThat(columnSize("run", "id")).isEqualTo(RegistryLimits.ID);
        assertThat(columnSize("audit_event", "details")).as("a reason fits, with its prefix").isGreaterThan(InputLimits.REASON * 10);
    }

    private int columnSize(String table, String column) {
        return Integer.parseInt(rows(db.config(), "SELECT character_maximum_length FROM information_schema.columns"
                + " WHERE LOWER(table_name) = ? AND LOWER(column_name) = ?"
                + (kind == TestDb.Kind.POSTGRESQL ? " AND table_schema = current_schema()" : ""), table, column).get(0));
    }

    private static boolean approveOrRefused(String mv, String actor) {
        try {
            return registryDb.registry().approveModel(mv, actor);
        } catch (IllegalStateException refused) {
            assertThat(refused).hasMessageContaining("it was rejected");
            return false;
        }
    }

    private static List<String> events(String modelVersionId, String action) {
        return rows(db.config(), "SELECT COUNT(*) FROM audit_event WHERE entity_id = ? AND action = ?", modelVersionId, action);
    }

    /** Every request on its own thread, all released at once; their results in order (a failure fails the test). */
    private static List<Boolean> runAtOnce(List<Callable<Boolean>> requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (Callable<Boolean> r : requests) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return r.call();
                }));
            }
            go.countDown();
            List<Boolean> results = new ArrayList<>();
            for (Future<Boolean> f : futures) {
                results.add(f.get(2, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code count} models, each registered by its own run that SUCCEEDED. */
    private static List<String> succeededModels(String pipeline, int count) {
        Registry reg = registryDb.registry();
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = pipeline + i;
            String run = reg.createRun(newRun(name, "name: " + name));
            String model = reg.putArtifact(artifact("MODEL", "model " + name));
            String train = reg.startStage(run, stage("train", "train.tribuo", 0, "train-" + name));
            reg.finishStageRan(train, model, List.of(), "lr", "first run", List.of());
            versions.add(reg.registerModelVersion(name + "/train", run, train, model));
            reg.finishRunWithGates(run, List.of());
        }
        return versions;
    }
}
