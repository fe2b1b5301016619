package dev.candor.registry;

import static dev.candor.registry.Fixtures.newRun;
import static dev.candor.registry.Fixtures.rows;
import static dev.candor.registry.Fixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.candor.registry.entity.RegistryEntities;
import jakarta.persistence.Column;
import jakarta.persistence.Table;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The registry's column limits: one copy of each size, equal to the migrated schema; free text cut to fit with a note
 * instead of failing the write; identifiers that do not fit refused by name before any SQL; and a run that has ended
 * (its lease taken by another process) refusing every further write. On H2 and PostgreSQL.
 */
class RegistryLimitsTest {
    private static final Duration LEASE = Duration.ofSeconds(60);

    @Test
    void fitKeepsWhatFitsAndCutsTheRestWithANoteOfHowMuch() {
        assertThat(RegistryLimits.fit(null, 10)).isNull();
        assertThat(RegistryLimits.fit("short", 200)).isEqualTo("short");
        String exact = "x".repeat(200);
        assertThat(RegistryLimits.fit(exact, 200)).isSameAs(exact);

        String long3m = "y".repeat(3_000_000);
        String fitted = RegistryLimits.fit(long3m, RegistryLimits.LARGE_TEXT);
        assertThat(fitted).hasSize(RegistryLimits.LARGE_TEXT).startsWith("yyyy");
        String note = fitted.substring(fitted.indexOf('…'));
        int kept = fitted.length() - note.length();
        assertThat(note).isEqualTo("… [truncated: " + (3_000_000 - kept) + " more characters]");

        // A code point outside the BMP is two chars: the cut never leaves half of one.
        String emoji = "\uD83D\uDE00".repeat(300);
        for (int limit = 100; limit < 110; limit++) {
            String cut = RegistryLimits.fit(emoji, limit);
            assertThat(cut.length()).isLessThanOrEqualTo(limit);
            String kept2 = cut.substring(0, cut.indexOf('…'));
            assertThat(kept2.codePoints()).allMatch(cp -> cp == 0x1F600);
        }
        // PostgreSQL text cannot hold U+0000.
        assertThat(RegistryLimits.fit("a\u0000b", 10)).isEqualTo("a\uFFFDb");
    }

    @Test
    void requireRefusesATooLongValueNamingItWithoutEchoingItWhole() {
        assertThat(RegistryLimits.require("credit", RegistryLimits.PIPELINE_NAME, "pipeline name")).isEqualTo("credit");
        assertThat(RegistryLimits.require(null, RegistryLimits.PIPELINE_NAME, "pipeline name")).isNull();
        String huge = "n".repeat(10_000_000);
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                () -> RegistryLimits.require(huge, RegistryLimits.PIPELINE_NAME, "pipeline name"));
        assertThat(e.getMessage()).startsWith("pipeline name 'nnnn").contains("is 10000000 characters long",
                "the registry stores at most 200").hasSizeLessThan(300);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void everyEntityColumnSizeIsTheMigratedSchemas(TestDb.Kind kind) throws Exception {
        try (TestDb db = TestDb.create(kind); RegistryDb ignored = RegistryDb.open(db.config());
             Connection c = RegistryDb.connection(db.config());
             PreparedStatement q = c.prepareStatement("SELECT character_maximum_length FROM information_schema.columns"
                     + " WHERE LOWER(table_name) = ? AND LOWER(column_name) = ? AND table_schema = CURRENT_SCHEMA")) {
            List<String> checked = new ArrayList<>();
            for (Class<?> entity : RegistryEntities.ALL) {
                String table = entity.getAnnotation(Table.class).name();
                for (Field f : entity.getDeclaredFields()) {
                    Column column = f.getAnnotation(Column.class);
                    if (column == null || f.getType() != String.class) continue;
                    q.setString(1, table);
                    q.setString(2, column.name());
                    try (ResultSet rs = q.executeQuery()) {
                        assertThat(rs.next()).as("%s.%s is in the schema", table, column.name()).isTrue();
                        assertThat(rs.getLong(1)).as("size of %s.%s", table, column.name()).isEqualTo(column.length());
                    }
                    checked.add(table + "." + column.name());
                }
            }
            assertThat(checked).contains("pipeline.name", "pipeline_version.yaml_text", "gate_result.expression",
                    "stage_run.error", "metric.slice").hasSizeGreaterThan(40);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void longFreeTextIsStoredCutToItsColumnWithANote(TestDb.Kind kind) throws Exception {
        try (TestDb db = TestDb.create(kind); RegistryDb registryDb = RegistryDb.open(db.config())) {
            Registry reg = registryDb.registry();
            String run = reg.createRun(newRun("long-texts", "long: 1\n"));
            // The case: a 10 MB CSV cell quoted three times in one error message, with a NUL in it.
            String cell = "v".repeat(10_000_000);
            String error = "row 6, column 'radius_mean': found '" + cell + "\u0000' (" + cell + "), expected a number, not " + cell;
            String failing = reg.startStage(run, stage("data", "ingest.csv", 0, "long-data"));
            reg.failStage(failing, error, "java.lang.IllegalArgumentException: " + cell);
            String noisy = reg.startStage(run, stage("eval", "evaluate", 1, "long-eval"));
            reg.finishStageRan(noisy, null, List.of(), "s".repeat(2_000_000), "r".repeat(5_000), List.of(),
                    List.of(new FindingRecord("WARNING", "test.long", "subject ".repeat(1_000), "m".repeat(1_500_000))));
            reg.finishRun(run, RunStatus.FAILED, "stage 'data' failed: " + error);

            RunDetail detail = reg.getRun(run).orElseThrow();
            assertThat(detail.error()).hasSize(RegistryLimits.LARGE_TEXT).startsWith("stage 'data' failed: row 6")
                    .endsWith(" more characters]").doesNotContain("\u0000");
            StageRunView data = detail.stages().get(0);
            assertThat(data.error()).hasSize(RegistryLimits.LARGE_TEXT).contains("… [truncated: ");
            assertThat(rows(db.config(), "SELECT LENGTH(error_detail), LENGTH(cache_reason) FROM stage_run WHERE id = ?", failing))
                    .containsExactly(RegistryLimits.LARGE_TEXT + "|null");
            assertThat(rows(db.config(), "SELECT LENGTH(summary), LENGTH(cache_reason) FROM stage_run WHERE id = ?", noisy))
                    .containsExactly(RegistryLimits.LARGE_TEXT + "|" + RegistryLimits.CACHE_REASON);
            assertThat(rows(db.config(), "SELECT LENGTH(subject), LENGTH(message) FROM finding WHERE stage_run_id = ?", noisy))
                    .containsExactly(RegistryLimits.FINDING_SUBJECT + "|" + RegistryLimits.LARGE_TEXT);
            assertThat(rows(db.config(), "SELECT LENGTH(details) FROM audit_event WHERE entity_id = ? AND action = 'run.failed'", run))
                    .containsExactly(String.valueOf(RegistryLimits.LARGE_TEXT));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void identifiersThatDoNotFitAreRefusedByNameAndNothingIsWritten(TestDb.Kind kind) throws Exception {
        try (TestDb db = TestDb.create(kind); RegistryDb registryDb = RegistryDb.open(db.config())) {
            Registry reg = registryDb.registry();
            String longName = "p".repeat(RegistryLimits.PIPELINE_NAME + 1);
            assertThatThrownBy(() -> reg.createRun(newRun(longName, "a: 1\n")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pipeline name 'pppp").hasMessageContaining("is 201 characters long")
                    .hasMessageContaining("at most 200");
            assertThat(rows(db.config(), "SELECT COUNT(*) FROM pipeline")).containsExactly("0");
            assertThat(rows(db.config(), "SELECT COUNT(*) FROM run")).containsExactly("0");

            String run = reg.createRun(newRun("identifiers", "a: 1\n"));
            String st = reg.startStage(run, stage("eval", "evaluate", 0, "ids-eval"));
            MetricRecord wide = new MetricRecord("fairness.selection_rate", 0.5, "test", "sex=" + "f".repeat(500));
            assertThatThrownBy(() -> reg.finishStageRan(st, null, List.of(), "ok", "first run", List.of(wide)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the slice of metric 'fairness.selection_rate'").hasMessageContaining("at most 400");
            assertThat(rows(db.config(), "SELECT status FROM stage_run WHERE id = ?", st)).containsExactly("RUNNING");
            assertThat(rows(db.config(), "SELECT COUNT(*) FROM metric")).containsExactly("0");
            assertThatThrownBy(() -> reg.finishRunWithGates(run, List.of(new GateRecord(0, "e.x >= 1 or ".repeat(400) + "e.x >= 1",
                    true, Map.of(), "ok")))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gate 'e.x >= 1 or")
                    .hasMessageContaining("at most 4000");
            assertThat(reg.getRun(run).orElseThrow().summary().status()).isEqualTo("RUNNING");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void aRunWhoseLeaseWasTakenRefusesEveryFurtherWrite(TestDb.Kind kind) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-04-01T08:00:00Z"));
        try (TestDb db = TestDb.create(kind); RegistryDb registryDb = RegistryDb.open(db.config(), clock)) {
            Registry reg = registryDb.registry();
            String run = reg.createRun(newRun("paused", "paused: 1\n"));
            String train = reg.startStage(run, stage("train", "train.tribuo", 0, "paused-train"));
            String model = reg.putArtifact(Fixtures.artifact("MODEL", "paused model"));
            // The worker is paused (SIGSTOP) past its lease; another process fails the run as abandoned.
            clock.advance(LEASE.plusSeconds(1));
            assertThat(reg.failExpiredRuns(LEASE)).hasSize(1);

            // The worker resumes: every write it attempts is refused, saying how the run ended.
            List<Consumer<Registry>> late = List.of(
                    r -> r.finishStageRan(train, model, List.of(), "trained", "first run", List.of()),
                    r -> r.failStage(train, "late failure", null),
                    r -> r.startStage(run, stage("eval", "evaluate", 1, "paused-eval")),
                    r -> r.skipStage(run, StageStart.unreachable("why", "explain.shap", 2, "{}"), "an input stage failed"),
                    r -> r.registerModelVersion("paused/train", run, train, model),
                    r -> r.finishRunWithGates(run, List.of()),
                    r -> r.finishRun(run, RunStatus.SUCCEEDED, null));
            for (Consumer<Registry> write : late) {
                RunEndedException e = catchThrowableOfType(RunEndedException.class, () -> write.accept(reg));
                assertThat(e).isNotNull();
                assertThat(e.runId()).isEqualTo(run);
                assertThat(e.status()).isEqualTo(RunStatus.FAILED);
                assertThat(e.error()).map(m -> m.startsWith("abandoned: ")).isEqualTo(Optional.of(true));
                assertThat(e.getMessage()).contains("run " + run + " is FAILED (abandoned: ", "was refused");
            }
            RunDetail detail = reg.getRun(run).orElseThrow();
            assertThat(detail.summary().status()).isEqualTo("FAILED");
            assertThat(detail.error()).startsWith("abandoned: ");
            assertThat(detail.stages()).extracting(StageRunView::status).containsExactly("FAILED");
            assertThat(rows(db.config(), "SELECT COUNT(*) FROM model_version")).containsExactly("0");
            assertThat(rows(db.config(), "SELECT COUNT(*) FROM gate_result")).containsExactly("0");
        }
    }
}
