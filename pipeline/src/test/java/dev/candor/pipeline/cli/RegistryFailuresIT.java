package dev.candor.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./candor} against PostgreSQL (a fresh schema per test), where the registry is shared between
 * processes and machines:
 * <ul>
 *   <li>a run paused with SIGSTOP past its lease is failed by another process; resumed with SIGCONT, it must not write
 *   over that, and exits 3 saying so;</li>
 *   <li>a data error quoting a cell with a NUL byte is recorded (PostgreSQL text cannot hold U+0000).</li>
 * </ul>
 * (A paused process that hosts an embedded H2 server blocks every other process, so the first is PostgreSQL's case.)
 */
class RegistryFailuresIT {
    private static final String PG = env("CANDOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/candor_test");
    private static final String USER = env("CANDOR_TEST_PG_USER", "candor");
    private static final String PASSWORD = env("CANDOR_TEST_PG_PASSWORD", "candor");
    private static final String LEASE_SECONDS = "2";
    private static final Pattern RUN_LINE = Pattern.compile("(?m)^run ([0-9a-f-]{36}): 3 stages$");

    @TempDir
    Path dir;
    String schema;
    String url;
    Map<String, String> env;

    @BeforeEach
    void schema() throws Exception {
        schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        url = PG + "?currentSchema=" + schema;
        env = Map.of("CANDOR_DB_USER", USER, "CANDOR_DB_PASSWORD", PASSWORD, "CANDOR_LEASE_SECONDS", LEASE_SECONDS);
        Files.copy(Launched.install().resolve("examples/breast-cancer/data/breast_cancer_wisconsin.csv"), dir.resolve("data.csv"));
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG, USER, PASSWORD); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private Path pipeline(String name, int bootstrap) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: %s}
                spec:
                  seed: 3
                  stages:
                    - {id: data, type: ingest.csv, with: {path: data.csv, label: diagnosis}}
                    - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression}}
                    - {id: eval, type: evaluate, inputs: [lr], with: {positive_class: malignant, bootstrap: %d}}
                """.formatted(name, bootstrap));
    }

    @Test
    void aRunPausedPastItsLeaseIsFailedByAnotherProcessAndOnResumingExitsThreeWithoutOverwritingIt() throws Exception {
        Path yaml = pipeline("paused", 10_000);
        Launched first = Launched.start(dir.resolve("first.log"), env, "run", "--db", url, yaml.toString(), "--plain");
        try {
            first.await(() -> first.output().matches("(?s).*\\n  eval +evaluate +started\\n.*"), "eval to start");
            first.await(() -> !rows("SELECT id FROM stage_run WHERE stage_id = 'eval' AND status = 'RUNNING'").isEmpty(),
                    "eval's stage run to be RUNNING in the registry");
            first.signal("STOP");
            Thread.sleep(Long.parseLong(LEASE_SECONDS) * 1000 + 1000);

            Launched sweep = Launched.start(dir.resolve("runs.log"), env, "runs", "--db", url);
            assertThat(sweep.exitCode()).as(sweep.output()).isZero();
            assertThat(sweep.output()).contains("of pipeline 'paused' marked FAILED: abandoned: worker ")
                    .contains(":" + first.pid() + " stopped sending heartbeats at ");
        } finally {
            first.signal("CONT");
        }
        int code = first.exitCode();
        String out = first.output();
        Matcher m = RUN_LINE.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        String runId = m.group(1);

        assertThat(code).as(out).isEqualTo(CandorCli.ENVIRONMENT_ERROR);
        assertThat(out).contains("candor: run " + runId + " was ended by another process as FAILED (abandoned: worker ")
                .contains("nothing this process did after that is recorded. Run the pipeline again")
                .doesNotContain("NullPointerException").doesNotContain("\tat ").doesNotContain(" succeeded in ");
        assertThat(rows("SELECT status FROM run WHERE id = ?", runId)).containsExactly("FAILED");
        assertThat(rows("SELECT error FROM run WHERE id = ?", runId).get(0)).startsWith("abandoned: worker ");
        assertThat(rows("SELECT stage_id, status FROM stage_run WHERE run_id = ? ORDER BY position", runId))
                .containsExactly("data|SUCCEEDED", "lr|SUCCEEDED", "eval|FAILED");
        assertThat(rows("SELECT action FROM audit_event WHERE entity_id = ? ORDER BY at", runId))
                .containsExactly("run.started", "run.abandoned");
        assertThat(rows("SELECT id FROM run WHERE status = 'RUNNING'")).isEmpty();
    }

    @Test
    void aDataErrorQuotingANulByteIsRecordedOnPostgresql() throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("data.csv"));
        String broken = String.join("\n", lines).replaceFirst("\n17\\.99,", "\n17\u0000x,") + "\n";
        Files.writeString(dir.resolve("data.csv"), broken);
        Path yaml = pipeline("nul", 100);
        Launched run = Launched.start(dir.resolve("nul.log"), env, "run", "--db", url, yaml.toString(), "--plain");
        int code = run.exitCode();
        assertThat(code).as(run.output()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(run.output()).contains("FAILED", "row ").doesNotContain("invalid byte sequence").doesNotContain("\tat ");
        assertThat(rows("SELECT status FROM run")).containsExactly("FAILED");
        assertThat(rows("SELECT error FROM stage_run WHERE stage_id = 'data'").get(0)).contains("row ").doesNotContain("\u0000");
    }

    private List<String> rows(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD)) {
            return RegistryRows.query(c, sql, params);
        } catch (SQLException e) {
            // Before the first run the schema does not exist yet: no rows.
            if ("42P01".equals(e.getSQLState())) return List.of();
            throw new IllegalStateException("cannot query the registry: " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
