package dev.candor.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.candor.pipeline.spec.PipelineLoader;
import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.registry.DbConfig;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.FindingView;
import dev.candor.registry.GateResultView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunStatus;
import dev.candor.registry.StageRunView;
import dev.candor.stages.spi.StageCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.time.Instant;
import dev.candor.registry.RunLease;
import dev.candor.registry.Worker;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver against a real H2 registry and a real artifact store, with small file-based stages. */
class ExecutorTest {
    static final StageCatalog CATALOG = StageCatalog.of(new EngineTestStages.Source(), new EngineTestStages.Scale(),
            new EngineTestStages.Report(), new EngineTestStages.Meet());

    @TempDir
    Path dir;
    RegistryDb db;
    ArtifactStore store;
    Executor executor;

    @BeforeEach
    void open() {
        EngineTestStages.RUNS.clear();
        db = RegistryDb.open(DbConfig.h2(dir.resolve("home")));
        store = new ArtifactStore(dir.resolve("home/artifacts"));
        executor = new Executor(CATALOG, store, db.registry(), EngineSettings.defaults());
    }

    @AfterEach
    void close() {
        db.close();
    }

    PipelineSpec pipeline(String scaleWith, String extraStages) throws Exception {
        Files.writeString(dir.resolve("number.txt"), Files.exists(dir.resolve("number.txt")) ? Files.readString(dir.resolve("number.txt")) : "20");
        Path yaml = dir.resolve("pipeline.yaml");
        Files.writeString(yaml, """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: engine-test}
                spec:
                  seed: 11
                  stages:
                    - {id: data, type: test.source, with: {path: number.txt}}
                    - {id: model, type: test.scale, inputs: [data], with: %s}
                    - {id: eval, type: test.report, inputs: [model]}
                %s""".formatted(scaleWith, extraStages));
        return new PipelineLoader(CATALOG, List.of()).load(yaml);
    }

    RunDetail detail(RunResult r) {
        return db.registry().getRun(r.runId()).orElseThrow();
    }

    static String reasons(RunResult r) {
        return r.stages().stream().map(s -> s.stageId() + ":" + (s.cached() ? "cached" : s.status() + "(" + s.reason() + ")"))
                .collect(Collectors.joining(" "));
    }

    @Test
    void anUnchangedRerunRunsNoStageAndKeepsTheMetrics() throws Exception {
        RunResult first = executor.run(pipeline("{factor: 3}", ""), RunListener.NONE);
        assertThat(first.succeeded()).as(first.failure()).isTrue();
        assertThat(first.stages()).allSatisfy(s -> {
            assertThat(s.cached()).isFalse();
            assertThat(s.reason()).isEqualTo("first run of this stage");
        });

        RunResult second = executor.run(pipeline("{factor: 3}", ""), RunListener.NONE);
        assertThat(second.succeeded()).isTrue();
        assertThat(second.stages()).as(reasons(second)).allSatisfy(s -> assertThat(s.cached()).isTrue());
        assertThat(List.of(EngineTestStages.runs("data"), EngineTestStages.runs("model"), EngineTestStages.runs("eval"))).containsOnly(1);

        RunDetail a = detail(first);
        RunDetail b = detail(second);
        assertThat(metrics(b)).isEqualTo(metrics(a)).contains("eval accuracy test null 0.06");
        assertThat(b.stages()).allSatisfy(s -> {
            assertThat(s.cacheHit()).isTrue();
            assertThat(s.cacheReason()).startsWith("unchanged since run " + first.runId().substring(0, 8));
        });
        assertThat(b.stages().stream().map(s -> s.output().sha256()).toList())
                .isEqualTo(a.stages().stream().map(s -> s.output().sha256()).toList());
    }

    @Test
    void changingOneStageRerunsItAndItsDependentsOnly() throws Exception {
        executor.run(pipeline("{factor: 3}", ""), RunListener.NONE);
        RunResult changed = executor.run(pipeline("{factor: 4}", ""), RunListener.NONE);
        assertThat(changed.succeeded()).isTrue();
        assertThat(reasons(changed)).isEqualTo(
                "data:cached model:SUCCEEDED(its configuration changed) eval:SUCCEEDED(its input 'model' changed)");
        assertThat(metrics(detail(changed))).contains("eval accuracy test null 0.08");
        assertThat(EngineTestStages.runs("data")).isEqualTo(1);
    }

    @Test
    void aChangedDataFileRerunsTheStageThatReadsIt() throws Exception {
        executor.run(pipeline("{factor: 3}", ""), RunListener.NONE);
        Files.writeString(dir.resolve("number.txt"), "21");
        RunResult r = executor.run(pipeline("{factor: 3}", ""), RunListener.NONE);
        assertThat(reasons(r)).startsWith("data:SUCCEEDED(its data file number.txt changed)");
        assertThat(metrics(detail(r))).contains("eval accuracy test null 0.063");
    }

    @Test
    void aFullDiskUnderTheStoreIsTheEnvironmentsErrorAndTheRunIsRecordedFailed() throws Exception {
        PipelineSpec spec = pipeline("{disk_full: true}", "");

        dev.candor.pipeline.store.StoreException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.candor.pipeline.store.StoreException.class, () -> executor.run(spec, RunListener.NONE));

        assertThat(e).hasMessageStartingWith("the artifact store " + store.root() + " cannot be written (writing ")
                .hasMessageContaining("No space left on device");
        assertThat(db.registry().listRuns(10)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("FAILED"));
    }

    @Test
    void aFailedStageFailsTheRunSkipsItsDependentsAndTheRerunResumes() throws Exception {
        RunResult failed = executor.run(pipeline("{fail: true}", ""), RunListener.NONE);
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.failure()).isEqualTo("stage 'model' failed: asked to fail");
        assertThat(reasons(failed)).isEqualTo("data:SUCCEEDED(first run of this stage) model:FAILED(null) eval:SKIPPED(an input stage failed)");

        RunDetail d = detail(failed);
        assertThat(d.summary().status()).isEqualTo("FAILED");
        assertThat(d.error()).contains("asked to fail");
        assertThat(d.stages()).extracting(StageRunView::status).containsExactly("SUCCEEDED", "FAILED", "SKIPPED");
        assertThat(db.registry().listRuns(10)).noneMatch(r -> r.status().equals("RUNNING"));
        assertThat(Files.list(store.root().resolve(".staging")).filter(Files::isDirectory).toList())
                .as("no staging directories left (the process's owner file stays while it lives)").isEmpty();

        RunResult resumed = executor.run(pipeline("{fail: false}", ""), RunListener.NONE);
        assertThat(resumed.succeeded()).isTrue();
        assertThat(reasons(resumed)).startsWith("data:cached model:SUCCEEDED(its configuration changed)");
        assertThat(EngineTestStages.runs("data")).isEqualTo(1);
    }

    @Test
    void aMissingArtifactIsRebuiltNotTrusted() throws Exception {
        RunResult first = executor.run(pipeline("{factor: 3}", ""), RunListener.NONE);
        Path modelDir = Path.of(java.net.URI.create(detail(first).stages().get(1).output().uri()));
        Files.writeString(modelDir.resolve("model.txt"), "tampered");
        RunResult r = executor.run(pipeline("{factor: 3}", ""), RunListener.NONE);
        assertThat(reasons(r)).isEqualTo("data:cached model:SUCCEEDED(its recorded output is missing from the artifact store) eval:cached");
        assertThat(Files.readString(modelDir.resolve("model.txt"))).isEqualTo("60");
    }

    @Test
    void independentStagesRunConcurrently() throws Exception {
        EngineTestStages.meeting = new CountDownLatch(2);
        RunResult r = executor.run(pipeline("{factor: 3}", """
                    - {id: left, type: test.meet, inputs: [data]}
                    - {id: right, type: test.meet, inputs: [data]}
                """), RunListener.NONE);
        assertThat(r.succeeded()).as(r.failure()).isTrue();
        assertThat(EngineTestStages.runs("left")).isEqualTo(1);
        assertThat(EngineTestStages.runs("right")).isEqualTo(1);
    }

    @Test
    void theHeartbeatAdvancesWhileARunGoesAndStopsWhenItEnds() throws Exception {
        // One branch waits inside its stage until the test has seen two heartbeats land.
        EngineTestStages.meeting = new CountDownLatch(2);
        Executor fast = new Executor(CATALOG, store, db.registry(),
                EngineSettings.defaults().withLease(Duration.ofMillis(50), Duration.ofSeconds(5)));
        PipelineSpec spec = pipeline("{factor: 3}", "    - {id: left, type: test.meet, inputs: [data]}\n");
        CompletableFuture<String> runId = new CompletableFuture<>();
        CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> fast.run(spec, new RunListener() {
            @Override
            public void runStarted(String id, int stages) {
                runId.complete(id);
            }
        }));
        String id = runId.get(10, TimeUnit.SECONDS);
        RunLease atStart = db.registry().lease(id).orElseThrow();
        assertThat(atStart.worker()).isEqualTo(Worker.current()).matches(".+:" + ProcessHandle.current().pid());
        Instant first = heartbeatAfter(id, atStart.heartbeatAt());
        Instant second = heartbeatAfter(id, first);
        assertThat(db.registry().lease(id).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(db.registry().failExpiredRuns(Duration.ofSeconds(5))).as("a run with fresh heartbeats is alive").isEmpty();
        EngineTestStages.meeting.countDown();

        RunResult r = running.get(20, TimeUnit.SECONDS);
        assertThat(r.succeeded()).as(r.failure()).isTrue();
        assertThat(second).isAfter(first).isAfter(atStart.heartbeatAt());
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .as("the heartbeat thread ends with the run").doesNotContain("candor-heartbeat-" + id.substring(0, 8));
    }

    /** Waits (at most 10 s) until the run's heartbeat is later than {@code after}; returns it. */
    private Instant heartbeatAfter(String runId, Instant after) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Instant now = db.registry().lease(runId).orElseThrow().heartbeatAt();
            if (now.isAfter(after)) return now;
            Thread.sleep(10);
        }
        throw new AssertionError("the heartbeat of run " + runId + " did not advance past " + after + " within 10 s");
    }

    @Test
    void aLeaseFromTheEnvironmentIsWholeSecondsAndLongerThanTheHeartbeat() {
        assertThat(EngineSettings.leaseFrom(null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(EngineSettings.leaseFrom(" 5 ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(EngineSettings.heartbeatFor(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(10));
        assertThat(EngineSettings.heartbeatFor(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineSettings.leaseFrom("0"))
                .hasMessage("CANDOR_LEASE_SECONDS is '0': expected a whole number of seconds >= 1 (default 60);"
                        + " unset it or set e.g. CANDOR_LEASE_SECONDS=60");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineSettings.defaults()
                        .withLease(Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .hasMessageContaining("must be longer than the heartbeat interval");
    }

    @Test
    void stageSeedsDependOnThePipelineSeedAndTheStageIdOnly() {
        assertThat(Executor.stageSeed(11, "eval")).isEqualTo(Executor.stageSeed(11, "eval"))
                .isNotEqualTo(Executor.stageSeed(12, "eval")).isNotEqualTo(Executor.stageSeed(11, "model"));
    }

    @Test
    void gatesAreDecidedOnCachedStagesTooAndFindingsFollowTheCache() throws Exception {
        RunResult first = executor.run(pipeline("{factor: 3}", "  gates: [\"eval.accuracy >= 0.05\"]\n"), RunListener.NONE);
        assertThat(first.status()).as(first.failure()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.gates()).singleElement().satisfies(g -> {
            assertThat(g.passed()).isTrue();
            assertThat(g.detail()).isEqualTo("eval.accuracy = 0.06 >= 0.05 holds");
        });
        assertThat(detail(first).findings()).extracting(FindingView::severity, FindingView::code, FindingView::subject)
                .containsExactly(tuple("WARNING", "test.small", "group=b"), tuple("INFO", "test.seed", null));

        RunResult second = executor.run(pipeline("{factor: 3}",
                "  gates: [\"eval.accuracy > 0.06 or not eval.accuracy < 1\", \"eval.never_recorded >= 1\"]\n"), RunListener.NONE);
        assertThat(second.stages()).allMatch(StageOutcome::cached);
        assertThat(second.status()).isEqualTo(RunStatus.FAILED_GATES);
        assertThat(second.succeeded()).isFalse();
        assertThat(second.failure()).startsWith("2 of 2 gates failed");
        RunDetail d = detail(second);
        assertThat(d.summary().status()).isEqualTo("FAILED_GATES");
        assertThat(d.gates()).extracting(GateResultView::passed).containsExactly(false, false);
        assertThat(d.gates().get(0).detail()).isEqualTo("eval.accuracy = 0.06 > 0.06 does not hold; eval.accuracy = 0.06 < 1 holds");
        assertThat(d.gates().get(1).values()).containsEntry("eval.never_recorded", null);
        assertThat(d.gates().get(1).detail()).contains("stage 'eval' did not record 'never_recorded'", "it recorded accuracy");
        assertThat(d.findings()).as("a cached stage carries the findings of the run it reused")
                .extracting(FindingView::code).containsExactly("test.small", "test.seed");
        assertThat(d.findings()).extracting(FindingView::stageRunId).containsOnly(d.stages().get(2).id());

        RunResult failed = executor.run(pipeline("{factor: 3, fail: true}", "  gates: [\"eval.accuracy >= 0.05\"]\n"),
                RunListener.NONE);
        assertThat(failed.status()).as("a run whose stages failed is not gate-checked").isEqualTo(RunStatus.FAILED);
        assertThat(failed.gates()).isEmpty();
        assertThat(detail(failed).gates()).isEmpty();
    }

    static List<String> metrics(RunDetail d) {
        return d.metrics().stream().map(m -> m.stageId() + " " + m.name() + " " + m.split() + " " + m.slice() + " " + m.value())
                .sorted().toList();
    }

}
