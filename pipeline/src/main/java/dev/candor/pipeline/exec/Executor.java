package dev.candor.pipeline.exec;

import dev.candor.pipeline.gate.GateEvaluator;
import dev.candor.pipeline.gate.GateExpression;
import dev.candor.pipeline.gate.GateOutcome;
import dev.candor.pipeline.gate.GateParser;
import dev.candor.pipeline.gate.GateSyntaxException;
import dev.candor.pipeline.gate.RecordedResults;
import dev.candor.pipeline.plan.Fingerprint;
import dev.candor.pipeline.plan.Plan;
import dev.candor.pipeline.spec.GateSpec;
import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.spec.StageSpec;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.pipeline.store.ContentHash;
import dev.candor.pipeline.store.StoreException;
import dev.candor.registry.ArtifactRecord;
import dev.candor.registry.CachedStage;
import dev.candor.registry.FindingRecord;
import dev.candor.registry.GateRecord;
import dev.candor.registry.NewRun;
import dev.candor.registry.PreviousStage;
import dev.candor.registry.Registry;
import dev.candor.registry.RunStatus;
import dev.candor.registry.StageStart;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.spi.StageOutput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver: runs a pipeline's plan against the artifact store and the registry. For each stage whose inputs are
 * ready it computes the fingerprint, reuses the recorded output when an identical stage run succeeded before and its
 * artifact is intact, and otherwise runs the stage, stores its output and records everything. Independent stages run
 * concurrently (up to {@link EngineSettings#maxParallelStages()}). A failed stage fails the run and skips its
 * dependents; every stage run ends in a final state, so the registry never holds a run left "running". When every
 * stage succeeded (cached ones included), the pipeline's gates are decided against the recorded results: a gate that
 * does not hold ends the run FAILED_GATES. While the run goes, a {@link Heartbeat} keeps its lease in the registry,
 * so that a run whose process is killed can be told from a live one and failed by the next process
 * ({@link dev.candor.registry.Registry#failExpiredRuns}).
 */
public final class Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

    private final StageCatalog catalog;
    private final ArtifactStore store;
    private final Registry registry;
    private final EngineSettings settings;

    public Executor(StageCatalog catalog, ArtifactStore store, Registry registry, EngineSettings settings) {
        this.catalog = catalog;
        this.store = store;
        this.registry = registry;
        this.settings = settings;
    }

    /** What a finished stage hands its dependents. */
    private record Produced(String stageId, ArtifactKind kind, String sha256, Path path, String artifactId, Map<String, String> metadata) { }

    /**
     * Runs the pipeline and records it. The run always ends in the registry: SUCCEEDED, FAILED (a stage failed, or a
     * registry write for it did; the cause is recorded) or FAILED_GATES; when another process ended it first (this
     * process lost its lease), nothing is overwritten and the result says so ({@link RunResult#endedElsewhere()}).
     *
     * @throws RegistryUnavailableException when the registry cannot record the end of the run at all
     * @throws StoreException               when a stage failed because the artifact store could not be written: the
     *                                      run is recorded FAILED first, and the caller reports an error of the
     *                                      environment
     */
    public RunResult run(PipelineSpec spec, RunListener listener) {
        long t0 = System.nanoTime();
        Plan plan = Plan.of(spec);
        String runner = settings.runnerOverride() != null ? settings.runnerOverride() : spec.runner();
        String device = settings.deviceOverride() != null ? settings.deviceOverride() : spec.device();
        // One transaction: if it fails, no run was recorded, and the exception says why.
        String runId = registry.createRun(new NewRun(spec.metadata().name(), spec.file().toString(), spec.yamlText(),
                spec.sha256(), spec.seed(), runner, device, settings.engineVersion(), settings.actor()));
        RunEnd end = new RunEnd(registry, runId, settings.lease());
        Thread interrupted = new Thread(() -> end.interrupted("interrupted: the process was stopped"));
        Runtime.getRuntime().addShutdownHook(interrupted);
        Heartbeat heartbeat = Heartbeat.start(registry, runId, settings.heartbeatInterval());
        try {
            return run(spec, listener, plan, runId, runner, device, end, t0);
        } catch (RegistryUnavailableException | StoreException e) {
            throw e; // the run's end was recorded (or cannot be): the caller reports an error of the environment
        } catch (RuntimeException | Error e) {
            // A fault of the engine itself: still end the run, so that it is not left RUNNING until its lease expires.
            try {
                end.fail("the run stopped on an internal error: " + messageOf(e));
            } catch (RuntimeException notRecorded) {
                e.addSuppressed(notRecorded);
            }
            throw e;
        } finally {
            heartbeat.close();
            removeHook(interrupted);
        }
    }

    private RunResult run(PipelineSpec spec, RunListener listener, Plan plan, String runId, String runner, String device,
                          RunEnd end, long t0) {
        listener.runStarted(runId, plan.nodes().size());
        Map<String, CompletableFuture<Produced>> futures = new ConcurrentHashMap<>();
        Map<String, StageOutcome> outcomes = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(settings.maxParallelStages(), r -> {
            Thread t = new Thread(r, "candor-stage");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Plan.Node node : plan.nodes()) {
                List<CompletableFuture<Produced>> deps = node.inputs().stream().map(futures::get).toList();
                CompletableFuture<Produced> f = CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
                        .handleAsync((ignored, failure) -> {
                            if (failure != null) {
                                StageOutcome skipped = skip(runId, node, "an input stage failed", end);
                                outcomes.put(node.id(), skipped);
                                listener.stageFinished(skipped);
                                throw new SkippedException();
                            }
                            List<Produced> inputs = deps.stream().map(CompletableFuture::join).toList();
                            return execute(spec, runId, runner, device, node, inputs, listener, outcomes, end);
                        }, pool);
                futures.put(node.id(), f);
            }
            CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        } finally {
            pool.shutdownNow();
        }
        List<StageOutcome> ordered = plan.nodes().stream().map(n -> outcomes.getOrDefault(n.id(), StageOutcome.failed(
                n.stage().id(), n.stage().type(), "the stage did not finish (an internal error; see the log)"))).toList();
        Optional<StageOutcome> failed = ordered.stream().filter(o -> o.status() == StageOutcome.Status.FAILED).findFirst();
        String failure = failed.map(o -> "stage '" + o.stageId() + "' failed: " + o.error()).orElse(null);
        if (end.endedElsewhere()) {
            return lost(runId, ordered, end, t0);
        }
        if (failure != null) {
            // A run whose stages failed is FAILED, not gate-checked: its numbers are incomplete.
            RunResult result = ended(runId, ordered, end.fail(failure), List.of(), end, t0);
            Optional<StoreException> environment = storeFailure(futures.values());
            if (environment.isPresent() && !result.endedElsewhere()) {
                // Not the stage's fault: the caller reports an error of the environment (the CLI exits 3).
                throw environment.get();
            }
            return result;
        }
        List<GateOutcome> gates;
        try {
            gates = checkGates(spec, runId);
        } catch (RuntimeException e) {
            end.note(e);
            if (end.endedElsewhere()) return lost(runId, ordered, end, t0);
            return ended(runId, ordered, end.fail("the gates could not be checked: " + messageOf(e)), List.of(), end, t0);
        }
        List<GateOutcome> notPassed = gates.stream().filter(g -> !g.passed()).toList();
        String gateFailure = notPassed.isEmpty() ? null : notPassed.size() + " of " + gates.size() + " gate"
                + (gates.size() == 1 ? "" : "s") + " failed: " + notPassed.stream()
                .map(g -> g.expression() + " (" + g.detail() + ")").collect(java.util.stream.Collectors.joining("; "));
        List<GateRecord> records = java.util.stream.IntStream.range(0, gates.size())
                .mapToObj(i -> new GateRecord(i, gates.get(i).expression(), gates.get(i).passed(), gates.get(i).values(),
                        gates.get(i).detail())).toList();
        Optional<RunEnd.Outcome> outcome = end.withGates(records, gateFailure);
        return ended(runId, ordered, outcome, outcome.filter(o -> o.status() != RunStatus.FAILED).map(o -> gates)
                .orElse(List.of()), end, t0);
    }

    /** The result of a run as {@code outcome} recorded it; empty when another process had ended it. */
    private static RunResult ended(String runId, List<StageOutcome> ordered, Optional<RunEnd.Outcome> outcome,
                                   List<GateOutcome> gates, RunEnd end, long t0) {
        if (outcome.isEmpty()) return lost(runId, ordered, end, t0);
        return new RunResult(runId, outcome.get().status(), ordered, millisSince(t0), outcome.get().failure(), gates);
    }

    private static RunResult lost(String runId, List<StageOutcome> ordered, RunEnd end, long t0) {
        return new RunResult(runId, RunStatus.FAILED, ordered, millisSince(t0), end.endedElsewhereMessage(), List.of(), true);
    }

    /** The artifact store's failure behind a failed stage, if that is why one failed. */
    private static Optional<StoreException> storeFailure(java.util.Collection<CompletableFuture<Produced>> futures) {
        for (CompletableFuture<Produced> f : futures) {
            if (!f.isCompletedExceptionally()) continue;
            try {
                f.join();
            } catch (RuntimeException e) {
                for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
                    if (t instanceof StoreException store) return Optional.of(store);
                }
            }
        }
        return Optional.empty();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting; the hook records the interruption
        }
    }

    /**
     * Decides the pipeline's gates against what this run recorded; cached stages carry copies of the metrics of the
     * stage run they reused, so they count like stages that ran.
     */
    private List<GateOutcome> checkGates(PipelineSpec spec, String runId) {
        if (spec.gates().isEmpty()) return List.of();
        RecordedResults results = new RecordedResults(registry.getRun(runId)
                .orElseThrow(() -> new IllegalStateException("run " + runId + " is not in the registry")).metrics());
        List<GateOutcome> out = new ArrayList<>();
        for (GateSpec gate : spec.gates()) {
            GateExpression expression;
            try {
                expression = GateParser.parse(gate.expression());
            } catch (GateSyntaxException e) {
                throw new IllegalStateException("gate '" + gate.expression() + "' passed validation but does not parse: "
                        + e.getMessage(), e);
            }
            GateOutcome o = GateEvaluator.evaluate(gate.expression(), expression, results);
            LOG.debug("gate {}: {} ({})", gate.expression(), o.passed() ? "passed" : "FAILED", o.detail());
            out.add(o);
        }
        return out;
    }

    private static List<FindingRecord> findings(EngineStageContext ctx) {
        return ctx.reportedFindings().stream().map(f -> new FindingRecord(f.severity().name(), f.code(), f.subject(),
                f.message())).toList();
    }

    private static final class SkippedException extends RuntimeException {
        SkippedException() {
            super(null, null, false, false);
        }
    }

    private StageOutcome skip(String runId, Plan.Node node, String reason, RunEnd end) {
        StageSpec s = node.stage();
        try {
            registry.skipStage(runId, StageStart.unreachable(s.id(), s.type(), node.position(), s.canonicalConfigJson()), reason);
        } catch (RuntimeException e) {
            // The run fails anyway (a stage it depends on failed); the end of the run records the cause.
            end.note(e);
            RunEnd.log(LOG, "stage " + s.id() + ": its skipping could not be recorded", e);
        }
        return new StageOutcome(s.id(), s.type(), StageOutcome.Status.SKIPPED, false, reason, 0, "", null, null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Produced execute(PipelineSpec spec, String runId, String runner, String device, Plan.Node node,
                             List<Produced> inputs, RunListener listener, Map<String, StageOutcome> outcomes, RunEnd end) {
        StageSpec s = node.stage();
        long t0 = System.nanoTime();
        listener.stageStarted(s.id(), s.type());
        String stageRunId = null;
        Path staging = null;
        Path scratch = null;
        DataSnapshot data = null;
        try {
            Stage stage = catalog.find(s.type()).orElseThrow(() -> new IllegalStateException("unknown stage type " + s.type()));
            RuntimeException unreadable = null;
            try {
                data = DataSnapshot.take(s, spec.dataRoots(), spec.file().toAbsolutePath().getParent(), store);
            } catch (RuntimeException e) {
                unreadable = e; // recorded below as the stage's failure, under a fingerprint that says so
            }
            Fingerprint fp = fingerprint(spec, s, inputs, data);
            String fingerprint = fp.hash();
            stageRunId = registry.startStage(runId, new StageStart(s.id(), s.type(), node.position(), fingerprint,
                    s.canonicalConfigJson(), fp.inputsJson()));
            List<String> inputIds = inputs.stream().map(Produced::artifactId).toList();
            if (unreadable != null) throw unreadable;
            Optional<CachedStage> cached = registry.findCached(fingerprint);
            if (cached.isPresent()) {
                ArtifactRecord out = cached.get().output();
                Optional<ArtifactStore.Stored> stored = store.find(stage.output(), out.sha256());
                if (stored.isPresent()) {
                    String reason = "unchanged since run " + shortId(cached.get().runId());
                    registry.finishStageCached(stageRunId, cached.get(), inputIds, reason);
                    StageOutcome o = new StageOutcome(s.id(), s.type(), StageOutcome.Status.SUCCEEDED, true, reason,
                            millisSince(t0), cached.get().summary(), null, out.sha256());
                    outcomes.put(s.id(), o);
                    listener.stageFinished(o);
                    return new Produced(s.id(), stage.output(), out.sha256(), stored.get().path(), out.id(), out.metadata());
                }
            }
            String reason = whyRun(spec, s, runId, fp, cached.isPresent());
            staging = store.newStagingDir(s.id());
            scratch = Files.createTempDirectory("candor-" + s.id() + "-");
            List<InputArtifact> stageInputs = inputs.stream()
                    .map(p -> new InputArtifact(p.stageId(), p.kind(), p.path(), p.sha256(), p.metadata())).toList();
            EngineStageContext ctx = new EngineStageContext(runId, s.id(), fp.seed(), stageInputs, staging, scratch,
                    runner, device, listener);
            LOG.debug("stage {} ({}) runs because {}: inputs {}, config {}", s.id(), s.type(), reason, fp.inputs(), s.canonicalConfigJson());
            // The stage reads the run's private copies of its data files, the bytes the fingerprint hashed.
            StageOutput output = stage.run(s.configReading(data.copies()), ctx);
            ArtifactStore.Stored stored = store.commit(stage.output(), staging);
            staging = null;
            String artifactId = registry.putArtifact(new ArtifactRecord(null, stage.output().name(), stored.uri(),
                    stored.sha256(), stored.sizeBytes(), output.metadata()));
            registry.finishStageRan(stageRunId, artifactId, inputIds, output.summary(), reason, ctx.recordedMetrics(),
                    findings(ctx));
            if (stage.output() == ArtifactKind.MODEL) {
                registry.registerModelVersion(spec.metadata().name() + "/" + s.id(), runId, stageRunId, artifactId);
            }
            LOG.debug("stage {} wrote {} ({} bytes): {}", s.id(), stored.sha256(), stored.sizeBytes(), output.summary());
            StageOutcome o = new StageOutcome(s.id(), s.type(), StageOutcome.Status.SUCCEEDED, false, reason,
                    millisSince(t0), output.summary(), null, stored.sha256());
            outcomes.put(s.id(), o);
            listener.stageFinished(o);
            return new Produced(s.id(), stage.output(), stored.sha256(), stored.path(), artifactId, output.metadata());
        } catch (Throwable thrown) {
            // A stage that failed writing into the store (its staging directory, a full disk) failed for the
            // environment's sake: that cause is what the run reports.
            Throwable e = StoreException.behind(store.root(), thrown).<Throwable>map(x -> x).orElse(thrown);
            end.note(e);
            String message = messageOf(e);
            if (stageRunId != null) {
                try {
                    registry.failStage(stageRunId, message, stackTrace(e));
                } catch (RuntimeException notRecorded) {
                    // The run's end records the failure (or finds the run ended by another process).
                    end.note(notRecorded);
                    RunEnd.log(LOG, "stage " + s.id() + ": its failure could not be recorded", notRecorded);
                }
            }
            StageOutcome o = new StageOutcome(s.id(), s.type(), StageOutcome.Status.FAILED, false, null,
                    millisSince(t0), "", message, null);
            outcomes.put(s.id(), o);
            listener.stageFinished(o);
            throw new StageFailedException(o, e);
        } finally {
            if (staging != null) ArtifactStore.deleteTree(staging);
            if (scratch != null) ArtifactStore.deleteTree(scratch);
            if (data != null && data.dir() != null) ArtifactStore.deleteTree(data.dir());
        }
    }

    /** Carries a failed outcome to the futures of dependent stages. */
    private static final class StageFailedException extends RuntimeException {
        StageFailedException(StageOutcome outcome, Throwable cause) {
            super(outcome.error(), cause, false, false);
        }
    }

    private String whyRun(PipelineSpec spec, StageSpec s, String runId, Fingerprint fp, boolean recordedButMissing) {
        if (recordedButMissing) return "its recorded output is missing from the artifact store";
        Optional<PreviousStage> prev = registry.previousStage(spec.metadata().name(), s.id(), runId);
        if (prev.isEmpty()) return "first run of this stage";
        if (fp.hash().equals(prev.get().fingerprint())) return "its earlier run did not finish";
        return fp.differenceFrom(prev.get().configJson(), prev.get().inputHashesJson());
    }

    /** @param data the stage's data files as copied, or null when they could not be read (each hashes "unreadable") */
    private Fingerprint fingerprint(PipelineSpec spec, StageSpec s, List<Produced> inputs, DataSnapshot data) {
        Map<String, String> in = new LinkedHashMap<>();
        for (Produced p : inputs) in.put(p.stageId(), p.sha256());
        TreeMap<String, String> files = new TreeMap<>();
        if (data != null) {
            files.putAll(data.hashes());
        } else {
            for (Path f : s.dataFiles()) files.put(f.toString(), "unreadable");
        }
        return new Fingerprint(s.type(), s.canonicalConfigJson(), stageSeed(spec.seed(), s.id()), in, files, settings.engineVersion());
    }

    /** A stage's seed: from the pipeline seed and the stage id, so adding or reordering other stages leaves it alone. */
    public static long stageSeed(long pipelineSeed, String stageId) {
        byte[] h = ContentHash.sha256().digest((pipelineSeed + "/" + stageId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return ByteBuffer.wrap(h).getLong();
    }

    static String messageOf(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t.getMessage() == null) && t.getCause() != null) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }
}
