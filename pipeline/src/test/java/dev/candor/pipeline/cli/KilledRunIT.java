package dev.candor.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.registry.DbConfig;
import dev.candor.registry.RegistryDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./candor} launcher (a separate JVM, as a user runs it) is killed with SIGKILL while a stage runs:
 * no shutdown hook gets to record anything. The next {@code candor run} finds the run's lease expired, fails it and
 * its running stage, and resumes from the cache: the stages the killed run finished are not run again.
 */
class KilledRunIT {
    private static final Pattern RUN_LINE = Pattern.compile("(?m)^run ([0-9a-f-]{36}): 3 stages$");
    /** Short, so the test need not wait a minute; the killed process heartbeat every third of it. */
    private static final String LEASE_SECONDS = "1";

    @TempDir
    Path dir;

    @Test
    void aKilledRunIsFailedAsAbandonedAndTheNextRunResumesFromTheCache() throws Exception {
        Files.copy(install().resolve("examples/breast-cancer/data/breast_cancer_wisconsin.csv"), dir.resolve("data.csv"));
        Path yaml = dir.resolve("pipeline.yaml");
        // eval's bootstrap makes it last a few seconds: the window in which the process is killed.
        Files.writeString(yaml, """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: killed}
                spec:
                  seed: 3
                  stages:
                    - {id: data, type: ingest.csv, with: {path: data.csv, label: diagnosis}}
                    - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression}}
                    - {id: eval, type: evaluate, inputs: [lr], with: {positive_class: malignant, bootstrap: 10000}}
                """);
        Path home = dir.resolve("home");
        Path firstLog = dir.resolve("first.log");
        Process first = launch(firstLog, "run", yaml.toString(), "--home", home.toString(), "--plain");
        try {
            await(() -> read(firstLog).matches("(?s).*\\n  eval +evaluate +started\\n.*"), first, firstLog,
                    "eval to start");
            await(() -> !rows(home, "SELECT sr.id FROM stage_run sr WHERE sr.stage_id = 'eval' AND sr.status = 'RUNNING'").isEmpty(),
                    first, firstLog, "eval's stage run to be RUNNING in the registry");
        } finally {
            first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
        }
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        Matcher m = RUN_LINE.matcher(read(firstLog));
        assertThat(m.find()).as(read(firstLog)).isTrue();
        String killed = m.group(1);
        assertThat(rows(home, "SELECT status, worker FROM run WHERE id = ?", killed))
                .as("the killed run is left RUNNING, held by the dead process").singleElement().asString()
                .startsWith("RUNNING|").endsWith(":" + first.pid());

        // Past the lease, the next run notices that the killed process stopped sending heartbeats.
        Thread.sleep(Long.parseLong(LEASE_SECONDS) * 1000 + 500);
        Path secondLog = dir.resolve("second.log");
        String second = finish(launch(secondLog, "run", yaml.toString(), "--home", home.toString(), "--plain"), secondLog);
        assertThat(second).contains("candor: run " + killed + " of pipeline 'killed' marked FAILED: abandoned: worker ")
                .contains(":" + first.pid() + " stopped sending heartbeats at ")
                .contains("(killed or crashed); run the pipeline again to resume from the cache");
        assertThat(second).containsPattern("(?m)^  data +ingest\\.csv +cached ")
                .containsPattern("(?m)^  lr +train\\.tribuo +cached ")
                .containsPattern("(?m)^  eval +evaluate +ran .*its earlier run did not finish")
                .containsPattern("run [0-9a-f-]{36} succeeded");

        // The registry, read directly now that no candor process holds it.
        assertThat(rows(home, "SELECT status, error FROM run WHERE id = ?", killed)).singleElement().asString()
                .startsWith("FAILED|abandoned: worker ").contains(":" + first.pid() + " stopped sending heartbeats at ");
        assertThat(rows(home, "SELECT stage_id, status, error FROM stage_run WHERE run_id = ? ORDER BY position", killed))
                .containsExactly("data|SUCCEEDED|null", "lr|SUCCEEDED|null",
                        "eval|FAILED|" + rows(home, "SELECT error FROM run WHERE id = ?", killed).get(0));
        Matcher done = Pattern.compile("run ([0-9a-f-]{36}) succeeded").matcher(second);
        assertThat(done.find()).isTrue();
        assertThat(rows(home, "SELECT sr.stage_id, sr.cache_hit, old.run_id FROM stage_run sr"
                        + " LEFT JOIN stage_run old ON old.id = sr.reused_from WHERE sr.run_id = ? ORDER BY sr.position", done.group(1)))
                .as("the stages the killed run finished are reused from it")
                .containsExactly("data|TRUE|" + killed, "lr|TRUE|" + killed, "eval|FALSE|null");

        String text = finish(launch(dir.resolve("show.txt"), "show", killed.substring(0, 8), "--home", home.toString()),
                dir.resolve("show.txt"));
        assertThat(text).contains("FAILED", "error: abandoned: worker ", "stopped sending heartbeats at ");
        assertThat(rows(home, "SELECT id FROM run WHERE status = 'RUNNING'")).as("no run left RUNNING").isEmpty();
        assertThat(rows(home, "SELECT id FROM stage_run WHERE status IN ('RUNNING', 'PENDING')")).isEmpty();
        assertThat(rows(home, "SELECT action FROM audit_event WHERE entity_id = ? ORDER BY at", killed))
                .containsExactly("run.started", "run.abandoned");
    }

    private static Path install() {
        String dir = System.getProperty("candor.install");
        if (dir == null) throw new IllegalStateException("system property candor.install (the repository root) is not set;"
                + " run this test through Maven (failsafe sets it)");
        return Path.of(dir);
    }

    private static Process launch(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(install().resolve("candor").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CANDOR_LEASE_SECONDS", LEASE_SECONDS);
        return pb.start();
    }

    /** Waits for a launched command to end with exit code 0; returns its output. */
    private static String finish(Process p, Path log) throws Exception {
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("candor did not finish in 5 minutes; output:\n" + read(log));
        }
        String out = read(log);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static void await(BooleanSupplier condition, Process p, Path log, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) throw new AssertionError("candor ended (exit " + p.exitValue() + ") before " + what + ":\n" + read(log));
            if (System.nanoTime() > deadline) throw new AssertionError("waited 5 minutes for " + what + ":\n" + read(log));
            Thread.sleep(20);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log, e);
        }
    }

    /** Rows of a query on the home's registry (through its registry server: readable while a candor process uses it). */
    private static List<String> rows(Path home, String sql, Object... params) {
        DbConfig db = DbConfig.h2(home);
        try (Connection c = RegistryDb.connection(db)) {
            return RegistryRows.query(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query the registry in " + home + ": " + e.getMessage(), e);
        }
    }
}
