package dev.candor.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.candor.pipeline.spec.PipelineLoader;
import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.registry.DbConfig;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.RegistryLimits;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunStatus;
import dev.candor.registry.StageRunView;
import dev.candor.stages.spi.StageCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver when the registry fails it, against a real H2 registry: a message too long for its column, a write the
 * registry refuses, a run whose lease another process took while this one was paused, and a registry that goes away
 * mid-run. Every run ends FAILED with its cause, or is left to its lease with one clear line; never an NPE, never
 * RUNNING when this process could have ended it, never SUCCEEDED over a FAILED recorded by another process.
 */
class RegistryFailuresTest {
    static final StageCatalog CATALOG = StageCatalog.of(new EngineTestStages.Source(), new EngineTestStages.Scale(),
            new EngineTestStages.Report(), new EngineTestStages.Pause());
    /** Long: in these tests heartbeats must not refresh the lease, as for a process that is stopped. */
    static final Duration NO_HEARTBEAT = Duration.ofMinutes(10);

    @TempDir
    Path dir;
    RegistryDb db;
    Executor executor;

    @BeforeEach
    void open() throws Exception {
        EngineTestStages.RUNS.clear();
        db = RegistryDb.open(DbConfig.h2(dir.resolve("home")));
        executor = new Executor(CATALOG, new ArtifactStore(dir.resolve("home/artifacts")), db.registry(),
                EngineSettings.defaults().withLease(NO_HEARTBEAT, NO_HEARTBEAT.multipliedBy(2)));
        Files.writeString(dir.resolve("number.txt"), "20");
    }

    @AfterEach
    void close() {
        db.close();
    }

    PipelineSpec pipeline(String modelType, String reportWith) throws Exception {
        Path yaml = Files.writeString(dir.resolve("pipeline.yaml"), """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: registry-failures}
                spec:
                  stages:
                    - {id: data, type: test.source, with: {path: number.txt}}
                    - {id: model, type: %s, inputs: [data]}
                    - {id: eval, type: test.report, inputs: [model], with: %s}
                """.formatted(modelType, reportWith));
        return new PipelineLoader(CATALOG, List.of()).load(yaml);
    }

    RunDetail detail(String runId) {
        return db.registry().getRun(runId).orElseThrow();
    }

    @Test
    void aTenMegabyteErrorIsRecordedCutToItsColumnAndTheRunEndsFailed() throws Exception {
        // Parsing the number quotes it whole: a 10 MB error message (and stack trace) for the registry's 1,000,000.
        Files.writeString(dir.resolve("number.txt"), "x".repeat(10_000_000));
        RunResult r = executor.run(pipeline("test.scale", "{}"), RunListener.NONE);

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.endedElsewhere()).isFalse();
        assertThat(r.failure()).startsWith("stage 'data' failed: For input string: \"xxx");
        RunDetail d = detail(r.runId());
        assertThat(d.summary().status()).isEqualTo("FAILED");
        assertThat(d.error()).hasSize(RegistryLimits.LARGE_TEXT).startsWith("stage 'data' failed: For input string")
                .endsWith(" more characters]");
        assertThat(d.stages()).extracting(StageRunView::status).containsExactly("FAILED", "SKIPPED", "SKIPPED");
        assertThat(d.stages().get(0).error()).hasSize(RegistryLimits.LARGE_TEXT).contains("… [truncated: ");
        assertThat(db.registry().listRuns(10)).noneMatch(run -> run.status().equals("RUNNING"));
    }

    @Test
    void aWriteTheRegistryRefusesFailsThatStageWithTheCauseAndTheRunEndsFailed() throws Exception {
        RunResult r = executor.run(pipeline("test.scale", "{note: " + "n".repeat(500) + "}"), RunListener.NONE);

        String cause = "the slice of metric 'noted' 'note=nnnn";
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failure()).startsWith("stage 'eval' failed: " + cause).contains("is 505 characters long; the registry"
                + " stores at most 400");
        RunDetail d = detail(r.runId());
        assertThat(d.summary().status()).isEqualTo("FAILED");
        assertThat(d.error()).isEqualTo(r.failure());
        assertThat(d.stages()).extracting(StageRunView::status).containsExactly("SUCCEEDED", "SUCCEEDED", "FAILED");
        assertThat(d.stages().get(2).error()).startsWith(cause);
        assertThat(d.metrics()).noneMatch(m -> m.name().equals("noted"));
    }

    @Test
    void aRunWhoseLeaseWasTakenWhileItWasPausedStaysFailedAndSaysSo() throws Exception {
        PipelineSpec spec = pipeline("test.pause", "{}");
        EngineTestStages.paused = new CountDownLatch(1);
        EngineTestStages.resume = new CountDownLatch(1);
        CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> executor.run(spec, RunListener.NONE));
        assertThat(EngineTestStages.paused.await(20, TimeUnit.SECONDS)).isTrue();

        // While it is "stopped", another process finds its heartbeat older than the lease and fails it.
        Thread.sleep(20);
        String runId = db.registry().listRuns(1).get(0).id();
        assertThat(db.registry().failExpiredRuns(Duration.ofMillis(10))).singleElement()
                .satisfies(a -> assertThat(a.runId()).isEqualTo(runId));
        EngineTestStages.resume.countDown();
        RunResult r = running.get(30, TimeUnit.SECONDS);

        assertThat(r.endedElsewhere()).isTrue();
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failure()).startsWith("run " + runId + " was ended by another process as FAILED (abandoned: worker ")
                .contains("while this one was paused or cut off from the registry for longer than the lease"
                        + " (CANDOR_LEASE_SECONDS); nothing this process did after that is recorded. Run the pipeline again");
        RunDetail d = detail(runId);
        assertThat(d.summary().status()).as("never SUCCEEDED over the other process's FAILED").isEqualTo("FAILED");
        assertThat(d.error()).startsWith("abandoned: worker ");
        assertThat(d.stages()).extracting(StageRunView::stageId, StageRunView::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("data", "SUCCEEDED"),
                        org.assertj.core.groups.Tuple.tuple("model", "FAILED"));
        assertThat(d.stages().get(1).error()).startsWith("abandoned: ");
        assertThat(db.registry().modelVersions(runId)).as("no model registered for a run that ended").isEmpty();
        assertThat(d.gates()).isEmpty();

        // The next run resumes: what finished before the pause comes from the cache.
        EngineTestStages.paused = new CountDownLatch(1);
        EngineTestStages.resume = new CountDownLatch(0);
        RunResult again = executor.run(spec, RunListener.NONE);
        assertThat(again.succeeded()).as(again.failure()).isTrue();
        assertThat(ExecutorTest.reasons(again)).isEqualTo("data:cached model:SUCCEEDED(its earlier run did not finish)"
                + " eval:SUCCEEDED(first run of this stage)");
    }

    @Test
    void aRegistryThatGoesAwayEndsTheCallWithOneLineAndTheLeaseEndsTheRun() throws Exception {
        PipelineSpec spec = pipeline("test.pause", "{}");
        EngineTestStages.paused = new CountDownLatch(1);
        EngineTestStages.resume = new CountDownLatch(1);
        CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> executor.run(spec, RunListener.NONE));
        assertThat(EngineTestStages.paused.await(20, TimeUnit.SECONDS)).isTrue();
        String runId = db.registry().listRuns(1).get(0).id();
        db.close();
        EngineTestStages.resume.countDown();

        ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(RegistryUnavailableException.class);
        assertThat(e.getCause().getMessage()).startsWith("the registry could not record the end of run " + runId + ": ")
                .contains(" — it shows RUNNING until its lease of 1200 s (CANDOR_LEASE_SECONDS) expires, then the next"
                        + " candor command marks it FAILED; check the database, then run the pipeline again")
                .doesNotContain("\n").doesNotContain("NullPointerException");

        db = RegistryDb.open(DbConfig.h2(dir.resolve("home")));
        assertThat(detail(runId).summary().status()).isEqualTo("RUNNING");
        assertThat(db.registry().failExpiredRuns(Duration.ofMillis(1))).hasSize(1);
        assertThat(db.registry().listRuns(10)).noneMatch(run -> run.status().equals("RUNNING"));
    }
}
