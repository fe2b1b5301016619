package dev.candor.registry;

import static dev.candor.registry.Fixtures.rows;
import static dev.candor.registry.Fixtures.sha;
import static dev.candor.registry.Fixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Worker leases: a run whose worker stopped sending heartbeats for longer than the lease is failed, with its stages,
 * consistently and by exactly one process; a run whose worker keeps sending them is left alone.
 */
class RunLeasesTest {
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final String WORKER = "ward-7:4242";

    private static NewRun runOf(String worker) {
        String yaml = "lease: 1\n";
        return new NewRun("leases", "leases.yaml", yaml, sha(yaml), 7L, "direct", "cpu", "0.1.0-test", "alice", worker);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void anExpiredLeaseFailsTheRunAndEndsItsStagesConsistently(TestDb.Kind kind) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00.123456Z"));
        try (TestDb db = TestDb.create(kind); RegistryDb registryDb = RegistryDb.open(db.config(), clock)) {
            Registry reg = registryDb.registry();
            String run = reg.createRun(runOf(WORKER));
            Instant started = clock.instant();
            String done = reg.startStage(run, stage("data", "ingest.csv", 0, "lease-data"));
            reg.finishStageRan(done, null, List.of(), "ok", "first run", List.of());
            String running = reg.startStage(run, stage("train", "train.tribuo", 1, "lease-train"));
            reg.skipStage(run, StageStart.unreachable("side", "explain.shap", 3, "{}"), "an input stage failed");
            String pending = insertPendingStage(db.config(), run);
            Instant lastBeat = clock.advance(Duration.ofSeconds(5));
            assertThat(reg.heartbeat(run)).isTrue();

            clock.advance(LEASE);
            assertThat(reg.failExpiredRuns(LEASE)).as("exactly the lease is not yet older than the lease").isEmpty();
            clock.advance(Duration.ofMillis(1));
            List<AbandonedRun> failed = reg.failExpiredRuns(LEASE);

            String expected = "abandoned: worker " + WORKER + " stopped sending heartbeats at " + lastBeat
                    + " (killed or crashed); run the pipeline again to resume from the cache";
            assertThat(failed).containsExactly(new AbandonedRun(run, "leases", WORKER, lastBeat, expected));
            assertThat(reg.failExpiredRuns(LEASE)).as("nothing is left to fail").isEmpty();
            assertThat(reg.heartbeat(run)).as("a heartbeat cannot revive a failed run").isFalse();

            RunDetail detail = reg.getRun(run).orElseThrow();
            assertThat(detail.summary().status()).isEqualTo("FAILED");
            assertThat(detail.summary().finishedAt()).isEqualTo(clock.instant());
            assertThat(detail.error()).isEqualTo(expected);
            assertThat(detail.stages()).extracting(StageRunView::id, StageRunView::status, StageRunView::error).containsExactly(
                    tuple(done, "SUCCEEDED", null),
                    tuple(running, "FAILED", expected),
                    tuple(pending, "SKIPPED", null),
                    tuple(detail.stages().get(3).id(), "SKIPPED", null));
            assertThat(detail.stages().get(2).summary()).isEqualTo(expected);
            assertThat(detail.stages().get(3).summary()).as("a stage that had ended keeps its record").isEqualTo("an input stage failed");
            assertThat(rows(db.config(), "SELECT status, finished_at IS NOT NULL, duration_ms FROM stage_run WHERE id = ?", running))
                    .containsExactly("FAILED|" + trueIn(kind) + "|" + Duration.between(started, clock.instant()).toMillis());
            assertThat(rows(db.config(), "SELECT COUNT(*) FROM stage_run WHERE status IN ('RUNNING', 'PENDING')")).containsExactly("0");
            assertThat(rows(db.config(), "SELECT action, details FROM audit_event WHERE entity_id = ? ORDER BY at", run))
                    .hasSize(2).first().asString().startsWith("run.started|").contains("worker " + WORKER);
            assertThat(rows(db.config(), "SELECT action, details FROM audit_event WHERE entity_id = ? ORDER BY at", run).get(1))
                    .startsWith("run.abandoned|" + expected + " (noticed by " + Worker.current() + " with a lease of 60 s;"
                            + " 2 open stage runs ended)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void aFreshHeartbeatProtectsARunAndFinishedRunsAreNeverTouched(TestDb.Kind kind) {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        try (TestDb db = TestDb.create(kind); RegistryDb registryDb = RegistryDb.open(db.config(), clock)) {
            Registry reg = registryDb.registry();
            String finished = reg.createRun(runOf("ward-7:1"));
            reg.finishRun(finished, RunStatus.SUCCEEDED, null);
            String live = reg.createRun(runOf("ward-8:2"));
            assertThat(reg.lease(live)).contains(new RunLease(live, RunStatus.RUNNING, "ward-8:2", clock.instant()));

            // Started long ago, but its worker keeps sending heartbeats: it is alive, however long it runs.
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(50));
                assertThat(reg.heartbeat(live)).isTrue();
            }
            Instant lastBeat = clock.instant();
            clock.advance(Duration.ofSeconds(59));
            assertThat(reg.failExpiredRuns(LEASE)).isEmpty();
            assertThat(reg.lease(live)).contains(new RunLease(live, RunStatus.RUNNING, "ward-8:2", lastBeat));
            assertThat(reg.getRun(finished).orElseThrow().summary().status()).isEqualTo("SUCCEEDED");

            clock.advance(Duration.ofSeconds(2));
            assertThat(reg.failExpiredRuns(LEASE)).extracting(AbandonedRun::runId).containsExactly(live);
            assertThat(reg.getRun(finished).orElseThrow().error()).isNull();
            assertThat(reg.lease("no-such-run")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void processesThatSweepAtOnceFailEachRunExactlyOnce(TestDb.Kind kind) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-03T09:00:00Z"));
        try (TestDb db = TestDb.create(kind); RegistryDb registryDb = RegistryDb.open(db.config(), clock)) {
            Registry reg = registryDb.registry();
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String run = reg.createRun(runOf("ward-9:" + i));
                reg.startStage(run, stage("data", "ingest.csv", 0, "race-" + i));
                runs.add(run);
            }
            clock.advance(LEASE.plusSeconds(1));
            int sweepers = 4;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(sweepers);
            try {
                List<Future<List<AbandonedRun>>> results = new ArrayList<>();
                for (int i = 0; i < sweepers; i++) {
                    Callable<List<AbandonedRun>> sweep = () -> {
                        go.await();
                        return reg.failExpiredRuns(LEASE);
                    };
                    results.add(pool.submit(sweep));
                }
                go.countDown();
                List<String> failedIds = new ArrayList<>();
                for (Future<List<AbandonedRun>> r : results) {
                    r.get().forEach(a -> failedIds.add(a.runId()));
                }
                assertThat(failedIds).as("each run failed by one sweeper").containsExactlyInAnyOrderElementsOf(runs);
            } finally {
                pool.shutdownNow();
            }
            assertThat(rows(db.config(), "SELECT COUNT(*) FROM audit_event WHERE action = 'run.abandoned'")).containsExactly("3");
            assertThat(rows(db.config(), "SELECT status, COUNT(*) FROM stage_run GROUP BY status")).containsExactly("FAILED|3");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void aRunLeftRunningBeforeLeasesExpiresFromItsStart(TestDb.Kind kind) throws Exception {
        try (TestDb db = TestDb.create(kind)) {
            // A registry at schema version 2 (no leases) with a run an older Candor left RUNNING.
            FluentConfiguration v2 = Flyway.configure().dataSource(db.dataSource())
                    .locations("classpath:db/migration").target("2");
            RegistryDb.schemaOf(db.config()).ifPresent(schema -> v2.schemas(schema).defaultSchema(schema).createSchemas(true));
            v2.load().migrate();
            Instant started = Instant.parse("2026-01-05T08:00:00Z");
            try (Connection c = RegistryDb.connection(db.config());
                 Statement st = c.createStatement()) {
                st.execute("INSERT INTO pipeline VALUES ('p1', 'legacy', TIMESTAMP WITH TIME ZONE '2026-01-05 08:00:00+00')");
                st.execute("INSERT INTO pipeline_version VALUES ('v1', 'p1', '" + sha("legacy") + "', 'legacy: 1', 'legacy.yaml',"
                        + " TIMESTAMP WITH TIME ZONE '2026-01-05 08:00:00+00')");
                st.execute("INSERT INTO run (id, pipeline_version_id, status, seed, runner, device, engine_version, started_at, actor)"
                        + " VALUES ('r1', 'v1', 'RUNNING', 1, 'direct', 'cpu', '0.0.9', TIMESTAMP WITH TIME ZONE '2026-01-05 08:00:00+00',"
                        + " 'alice')");
            }
            MutableClock clock = new MutableClock(started.plusSeconds(30));
            try (RegistryDb registryDb = RegistryDb.open(db.config(), clock)) {
                Registry reg = registryDb.registry();
                assertThat(reg.lease("r1")).contains(new RunLease("r1", RunStatus.RUNNING, null, started));
                assertThat(reg.failExpiredRuns(LEASE)).isEmpty();
                clock.advance(Duration.ofSeconds(31));
                assertThat(reg.failExpiredRuns(LEASE)).extracting(AbandonedRun::error).containsExactly("abandoned: worker"
                        + " (unknown: the run was recorded before worker leases) stopped sending heartbeats at " + started
                        + " (killed or crashed); run the pipeline again to resume from the cache");
            }
        }
    }

    /** A stage run the engine had planned but not started (PENDING): the API records none, so it is written directly. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void aRunEndingWhileItIsSweptEndsOnceEitherWay(TestDb.Kind kind) throws Exception {
        // The worker ends its run just as another process finds its lease expired (it was paused): whichever comes
        // second sees the first one's result; neither overwrites it, and the run has exactly one end.
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (TestDb db = TestDb.create(kind); RegistryDb registryDb = RegistryDb.open(db.config(), clock)) {
            Registry reg = registryDb.registry();
            int endedByWorker = 0;
            for (int i = 0; i < 20; i++) {
                String run = reg.createRun(runOf(WORKER));
                String stage = reg.startStage(run, stage("data", "ingest.csv", 0, "race-" + i));
                clock.advance(LEASE.plusSeconds(1));
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> worker = pool.submit(() -> {
                    go.await();
                    try {
                        reg.finishStageRan(stage, null, List.of(), "ok", "first run", List.of());
                        reg.finishRun(run, RunStatus.SUCCEEDED, null);
                        return true;
                    } catch (RunEndedException e) {
                        return false;
                    }
                });
                Future<List<AbandonedRun>> sweeper = pool.submit(() -> {
                    go.await();
                    return reg.failExpiredRuns(LEASE);
                });
                go.countDown();
                boolean workerEnded = worker.get();
                boolean swept = sweeper.get().stream().anyMatch(r -> r.runId().equals(run));
                assertThat(workerEnded).as("iteration %d: exactly one of worker and sweeper ends the run", i).isNotEqualTo(swept);
                String status = reg.getRun(run).orElseThrow().summary().status();
                assertThat(status).as("iteration %d", i).isEqualTo(workerEnded ? "SUCCEEDED" : "FAILED");
                assertThat(rows(db.config(), "SELECT action FROM audit_event WHERE entity_id = ? AND action IN"
                        + " ('run.succeeded', 'run.failed', 'run.abandoned')", run)).as("iteration %d", i).hasSize(1);
                if (workerEnded) endedByWorker++;
            }
            System.out.printf("%s: the worker ended %d of 20 races, the sweeper %d%n", kind, endedByWorker, 20 - endedByWorker);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String insertPendingStage(DbConfig config, String runId) throws Exception {
        String id = java.util.UUID.randomUUID().toString();
        try (Connection c = RegistryDb.connection(config);
             PreparedStatement ps = c.prepareStatement("INSERT INTO stage_run (id, run_id, stage_id, stage_type, position, status,"
                     + " fingerprint, config_json, input_hashes_json, cache_hit) VALUES (?, ?, 'eval', 'evaluate', 2, 'PENDING', ?,"
                     + " '{}', '{}', FALSE)")) {
            ps.setString(1, id);
            ps.setString(2, runId);
            ps.setString(3, sha("pending"));
            ps.executeUpdate();
        }
        return id;
    }

    private static String trueIn(TestDb.Kind kind) {
        return kind == TestDb.Kind.POSTGRESQL ? "t" : "TRUE";
    }
}
