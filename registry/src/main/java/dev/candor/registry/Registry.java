package dev.candor.registry;

import dev.candor.registry.entity.Artifact;
import dev.candor.registry.entity.AuditEvent;
import dev.candor.registry.entity.Finding;
import dev.candor.registry.entity.GateResult;
import dev.candor.registry.entity.Lineage;
import dev.candor.registry.entity.Metric;
import dev.candor.registry.entity.ModelVersion;
import dev.candor.registry.entity.Pipeline;
import dev.candor.registry.entity.PipelineVersion;
import dev.candor.registry.entity.Run;
import dev.candor.registry.entity.StageRun;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.exception.ConstraintViolationException;

/**
 * What the engine records about runs, and the reads the CLI needs. Thread-safe: every method is its own
 * transaction, so a crash loses at most the step in progress. Get one from {@link RegistryDb#registry()}.
 */
public final class Registry {
    /**
     * Writers inserting the same pipeline, artifact or next model version race on a unique key; each round one of
     * them wins, so this many attempts serve that many simultaneous writers.
     */
    private static final int UNIQUE_RACE_ATTEMPTS = 10;

    private final SessionFactory sessionFactory;
    private final Clock clock;

    Registry(SessionFactory sessionFactory, Clock clock) {
        this.sessionFactory = sessionFactory;
        this.clock = clock;
    }

    /** Records a new RUNNING run (and its pipeline and YAML version, when new); returns the run id. */
    public String createRun(NewRun r) {
        Require.present(r, "createRun: NewRun");
        return retryingUniqueRaces("run of pipeline '" + r.pipelineName() + "'", s -> {
            Instant now = now();
            Pipeline pipeline = s.createSelectionQuery("from Pipeline where name = :name", Pipeline.class)
                    .setParameter("name", r.pipelineName()).uniqueResultOptional()
                    .orElseGet(() -> persist(s, new Pipeline(newId(), r.pipelineName(), now)));
            PipelineVersion version = s.createSelectionQuery(
                            "from PipelineVersion where pipeline = :p and yamlSha256 = :sha", PipelineVersion.class)
                    .setParameter("p", pipeline).setParameter("sha", r.yamlSha256()).uniqueResultOptional()
                    .orElseGet(() -> persist(s, new PipelineVersion(newId(), pipeline, r.yamlSha256(), r.yamlText(),
                            r.pipelineFile(), now)));
            Run run = persist(s, new Run(newId(), version, r.seed(), r.runner(), r.device(), r.engineVersion(), r.actor(),
                    r.worker(), now));
            persist(s, new AuditEvent(newId(), now, r.actor(), "run.started", "run", run.getId(),
                    "pipeline " + r.pipelineName() + " from " + r.pipelineFile() + " (yaml sha256 " + r.yamlSha256()
                            + "), seed " + r.seed() + ", runner " + r.runner() + ", device " + r.device()
                            + ", engine " + r.engineVersion() + ", worker " + r.worker()));
            return run.getId();
        });
    }

    /**
     * Ends a run as SUCCEEDED or FAILED ({@code error}: why it failed, or null). A run with gates ends through
     * {@link #finishRunWithGates} instead.
     */
    public void finishRun(String runId, RunStatus status, String error) {
        Require.present(status, "finishRun: status");
        sessionFactory.inTransaction(s -> {
            Run run = running(run(s, runId), "ending it as " + status);
            Instant now = now();
            run.finish(status, error, now);
            persist(s, new AuditEvent(newId(), now, run.getActor(), "run." + status.name().toLowerCase(java.util.Locale.ROOT),
                    "run", runId, error == null ? "run ended " + status : "run ended " + status + ": " + error));
        });
    }

    /**
     * Ends a RUNNING run whose stages all succeeded by recording how its release gates came out: SUCCEEDED when every
     * gate passed (or it has none), else FAILED_GATES with the failed gates as its error. Returns the status it ended
     * with. Gates and status are written in one transaction.
     */
    public RunStatus finishRunWithGates(String runId, List<GateRecord> gates) {
        List<GateRecord> gateList = List.copyOf(Require.present(gates, "finishRunWithGates: gates"));
        return sessionFactory.fromTransaction(s -> {
            Run run = running(run(s, runId), "recording its gates");
            Instant now = now();
            for (GateRecord g : gateList) {
                persist(s, new GateResult(newId(), run, g.position(), g.expression(), g.passed(), Json.writeValues(g.values()),
                        g.detail(), now));
            }
            List<GateRecord> failed = gateList.stream().filter(g -> !g.passed()).toList();
            RunStatus status = failed.isEmpty() ? RunStatus.SUCCEEDED : RunStatus.FAILED_GATES;
            String error = failed.isEmpty() ? null : failed.size() + " of " + gateList.size() + " gate"
                    + (gateList.size() == 1 ? "" : "s") + " failed: " + failed.stream()
                    .map(g -> g.expression() + " (" + g.detail() + ")").collect(java.util.stream.Collectors.joining("; "));
            run.finish(status, error, now);
            persist(s, new AuditEvent(newId(), now, run.getActor(), "run." + status.name().toLowerCase(java.util.Locale.ROOT),
                    "run", runId, error == null ? "run ended " + status + (gateList.isEmpty() ? ""
                            : ", all " + gateList.size() + " gates passed") : "run ended " + status + ": " + error));
            return status;
        });
    }

    /** Records a stage starting now in a RUNNING run; returns the stage run id. */
    public String startStage(String runId, StageStart st) {
        Require.present(st, "startStage: StageStart");
        Require.sha256(st.fingerprint(), "startStage: the fingerprint of stage '" + st.stageId() + "'");
        return sessionFactory.fromTransaction(s -> {
            Run run = runningRun(s, runId, st.stageId());
            return persist(s, new StageRun(newId(), run, st.stageId(), st.stageType(), st.position(), StageStatus.RUNNING,
                    st.fingerprint(), st.configJson(), st.inputHashesJson(), now())).getId();
        });
    }

    /** Registers an artifact; when one with the same (sha256, kind) exists, returns its id instead. */
    public String putArtifact(ArtifactRecord a) {
        Require.present(a, "putArtifact: ArtifactRecord");
        return retryingUniqueRaces("artifact " + a.uri(), s -> s.createSelectionQuery(
                        "select id from Artifact where sha256 = :sha and kind = :kind", String.class)
                .setParameter("sha", a.sha256()).setParameter("kind", a.kind()).uniqueResultOptional()
                .orElseGet(() -> persist(s, new Artifact(a.id() == null ? newId() : a.id(), a.kind(), a.uri(), a.sha256(),
                        a.sizeBytes(), Json.write(a.metadata()), now())).getId()));
    }

    /**
     * The stage ran and succeeded: records its output and inputs (lineage), its summary, why it ran
     * ({@code cacheReason}) and its metrics.
     */
    public void finishStageRan(String stageRunId, String outputArtifactId, List<String> inputArtifactIds, String summary,
                               String cacheReason, List<MetricRecord> metrics) {
        finishStageRan(stageRunId, outputArtifactId, inputArtifactIds, summary, cacheReason, metrics, List.of());
    }

    /**
     * As {@link #finishStageRan(String, String, List, String, String, List)}, with the findings the stage reported,
     * in the order it reported them.
     */
    public void finishStageRan(String stageRunId, String outputArtifactId, List<String> inputArtifactIds, String summary,
                               String cacheReason, List<MetricRecord> metrics, List<FindingRecord> findings) {
        List<MetricRecord> metricList = List.copyOf(Require.present(metrics, "finishStageRan: metrics"));
        List<FindingRecord> findingList = List.copyOf(Require.present(findings, "finishStageRan: findings"));
        sessionFactory.inTransaction(s -> {
            StageRun stageRun = runningStage(s, stageRunId, "recording that it succeeded");
            stageRun.succeeded(summary, cacheReason, now());
            link(s, stageRun, outputArtifactId, inputArtifactIds);
            for (MetricRecord m : metricList) {
                persist(s, new Metric(newId(), stageRun.getRun(), stageRun, m.name(), m.value(), m.split(), m.slice()));
            }
            for (int i = 0; i < findingList.size(); i++) {
                FindingRecord f = findingList.get(i);
                persist(s, new Finding(newId(), stageRun.getRun(), stageRun, i, f.severity(), f.code(), f.subject(),
                        f.message()));
            }
        });
    }

    /**
     * The stage was served from the cache: it takes {@code reused}'s output and summary, and a copy of its metrics
     * and findings, so that this run shows them too.
     */
    public void finishStageCached(String stageRunId, CachedStage reused, List<String> inputArtifactIds, String cacheReason) {
        Require.present(reused, "finishStageCached: CachedStage");
        sessionFactory.inTransaction(s -> {
            StageRun stageRun = runningStage(s, stageRunId, "recording that it came from the cache");
            StageRun source = stageRun(s, reused.stageRunId());
            stageRun.reused(source.getId(), reused.summary(), cacheReason, now());
            link(s, stageRun, reused.output().id(), inputArtifactIds);
            List<Metric> earlier = s.createSelectionQuery("from Metric where stageRun.id = :id order by name, id", Metric.class)
                    .setParameter("id", source.getId()).getResultList();
            for (Metric m : earlier) {
                persist(s, new Metric(newId(), stageRun.getRun(), stageRun, m.getName(), m.getValue(), m.getSplit(), m.getSlice()));
            }
            List<Finding> found = s.createSelectionQuery("from Finding where stageRun.id = :id order by position, id", Finding.class)
                    .setParameter("id", source.getId()).getResultList();
            for (Finding f : found) {
                persist(s, new Finding(newId(), stageRun.getRun(), stageRun, f.getPosition(), f.getSeverity(), f.getCode(),
                        f.getSubject(), f.getMessage()));
            }
        });
    }

    /** The stage failed: {@code error} is the one-line cause, {@code errorDetail} the stack trace. */
    public void failStage(String stageRunId, String error, String errorDetail) {
        sessionFactory.inTransaction(s -> runningStage(s, stageRunId, "recording that it failed").failed(error, errorDetail, now()));
    }

    /** Records a stage that was not run because a stage it depends on failed; {@code reason} becomes its summary. */
    public void skipStage(String runId, StageStart st, String reason) {
        Require.present(st, "skipStage: StageStart");
        sessionFactory.inTransaction(s -> {
            Run run = runningRun(s, runId, st.stageId());
            StageRun skipped = new StageRun(newId(), run, st.stageId(), st.stageType(), st.position(), StageStatus.SKIPPED,
                    st.fingerprint(), st.configJson(), st.inputHashesJson(), null);
            skipped.skipped(reason);
            persist(s, skipped);
        });
    }

    /** The latest successful stage run with this fingerprint that has an output artifact. */
    public Optional<CachedStage> findCached(String fingerprint) {
        return sessionFactory.fromTransaction(s -> s.createSelectionQuery(
                        "select l from Lineage l join fetch l.stageRun sr join fetch l.artifact"
                                + " where sr.fingerprint = :fp and sr.status = :ok and l.direction = :out"
                                + " order by sr.finishedAt desc, sr.id", Lineage.class)
                .setParameter("fp", fingerprint).setParameter("ok", StageStatus.SUCCEEDED)
                .setParameter("out", LineageDirection.OUT).setMaxResults(1).uniqueResultOptional()
                .map(l -> new CachedStage(l.getStageRun().getId(), l.getStageRun().getRun().getId(),
                        toRecord(l.getArtifact()), l.getStageRun().getSummary())));
    }

    /**
     * The latest run of stage {@code stageId} of pipeline {@code pipelineName} in a run other than
     * {@code excludingRunId}, whatever its status; skipped stage runs do not count (they never ran).
     */
    public Optional<PreviousStage> previousStage(String pipelineName, String stageId, String excludingRunId) {
        return sessionFactory.fromTransaction(s -> s.createSelectionQuery(
                        "select sr from StageRun sr join sr.run r join r.pipelineVersion v join v.pipeline p"
                                + " where p.name = :name and sr.stageId = :stage and r.id <> :exclude and sr.status <> :skipped"
                                + " order by sr.startedAt desc, sr.id", StageRun.class)
                .setParameter("name", pipelineName).setParameter("stage", stageId)
                .setParameter("exclude", excludingRunId == null ? "" : excludingRunId)
                .setParameter("skipped", StageStatus.SKIPPED).setMaxResults(1).uniqueResultOptional()
                .map(sr -> new PreviousStage(sr.getFingerprint(), sr.getConfigJson(), sr.getInputHashesJson(),
                        sr.getRun().getId())));
    }

    /**
     * Registers the model a stage run produced as the next version of {@code name}, status CANDIDATE; returns the
     * model version id. Calling it again for the same name and stage run returns the same id.
     */
    public String registerModelVersion(String name, String runId, String stageRunId, String artifactId) {
        Require.text(name, "registerModelVersion: name");
        return retryingUniqueRaces("model version of '" + name + "'", s -> {
            Run run = run(s, runId);
            StageRun stageRun = stageRun(s, stageRunId);
            if (!stageRun.getRun().getId().equals(runId)) {
                throw new IllegalArgumentException("stage run " + stageRunId + " belongs to run " + stageRun.getRun().getId()
                        + ", not to run " + runId);
            }
            Artifact artifact = artifact(s, artifactId);
            Optional<String> existing = s.createSelectionQuery(
                            "select id from ModelVersion where name = :name and stageRun = :sr", String.class)
                    .setParameter("name", name).setParameter("sr", stageRun).uniqueResultOptional();
            if (existing.isPresent()) {
                return existing.get();
            }
            running(run, "registering model " + RegistryLimits.preview(name));
            Integer last = s.createSelectionQuery("select max(version) from ModelVersion where name = :name", Integer.class)
                    .setParameter("name", name).getSingleResult();
            int version = last == null ? 1 : last + 1;
            Instant now = now();
            ModelVersion mv = persist(s, new ModelVersion(newId(), name, version, artifact, run, stageRun, now));
            persist(s, new AuditEvent(newId(), now, run.getActor(), "model.registered", "model_version", mv.getId(),
                    "model " + name + " version " + version + " (artifact sha256 " + artifact.getSha256() + ") from stage '"
                            + stageRun.getStageId() + "' of run " + runId + ", status CANDIDATE"));
            return mv.getId();
        });
    }

    /**
     * Approves a registered model version for use, as {@code actor}. Only a model from a run that SUCCEEDED can be
     * approved: a run that ended FAILED_GATES produced a model worse than its pipeline requires, so approving it is
     * refused with the gates that failed; a FAILED or RUNNING run is refused too. Approving an approved version again
     * changes nothing and writes no audit event. Concurrent decisions on one version are serialized on its row
     * ({@link ModelReviews}).
     *
     * @param actor who approves: one line of text, at most {@link InputLimits#ACTOR} characters
     * @return true when this call approved the version (and wrote the audit event); false when it was approved already
     * @throws IllegalArgumentException when there is no such model version, or the actor is blank, too long or holds a
     *                                  control character
     * @throws IllegalStateException    when its run did not succeed, or the version was rejected
     */
    public boolean approveModel(String modelVersionId, String actor) {
        String who = InputLimits.oneLine("approver name", actor, RegistryLimits.ACTOR);
        return reviewing(modelVersionId, s -> ModelReviews.approve(s, modelVersionId, who, now()));
    }

    /**
     * Rejects a model version: a reviewer's decision that it must not be used, recorded with the reason in the audit
     * log. Any model can be rejected, whatever its run's outcome, and an approved one too (the approval is revoked);
     * rejecting a rejected version again changes nothing and writes no audit event (the first reason stands).
     * Concurrent decisions on one version are serialized on its row ({@link ModelReviews}).
     *
     * @param actor  who rejects: one line of text, at most {@link InputLimits#ACTOR} characters
     * @param reason why, in the reviewer's words (required: an audit reader must see it): one line of text, at most
     *               {@link InputLimits#REASON} characters
     * @return true when this call rejected the version (and wrote the audit event); false when it was rejected already
     * @throws IllegalArgumentException when the version does not exist, or the actor or reason is blank, too long or
     *                                  holds a control character
     */
    public boolean rejectModel(String modelVersionId, String actor, String reason) {
        String who = InputLimits.oneLine("approver name", actor, RegistryLimits.ACTOR);
        String why = InputLimits.oneLine("reason", reason, InputLimits.REASON);
        return reviewing(modelVersionId, s -> ModelReviews.reject(s, modelVersionId, who, why, now()));
    }

    /** The review state of a model version. */
    public ModelStatus modelStatus(String modelVersionId) {
        return sessionFactory.fromTransaction(s -> {
            ModelVersion mv = modelVersionId == null ? null : s.find(ModelVersion.class, modelVersionId);
            if (mv == null) {
                throw new IllegalArgumentException("no model version with id " + modelVersionId + " in the registry");
            }
            return mv.getStatus();
        });
    }

    /** Appends an audit event. */
    public void audit(String actor, String action, String entityType, String entityId, String details) {
        AuditEvent event = new AuditEvent(newId(), now(), Require.text(actor, "audit: actor"), Require.text(action, "audit: action"),
                Require.text(entityType, "audit: entityType"), Require.text(entityId, "audit: entityId"),
                details == null ? "" : details);
        sessionFactory.inTransaction(s -> s.persist(event));
    }

    /**
     * The worker of a RUNNING run says it is alive: refreshes the run's heartbeat. Returns false when the run is no
     * longer RUNNING, for instance because another process found its lease expired and failed it.
     */
    public boolean heartbeat(String runId) {
        Require.text(runId, "heartbeat: runId");
        return sessionFactory.fromTransaction(s -> Leases.heartbeat(s, runId, now()));
    }

    /**
     * Fails every RUNNING run whose worker's last heartbeat is older than {@code lease}: it was killed or crashed. Its
     * RUNNING stage runs fail and its PENDING ones are skipped with the same reason, and a {@code run.abandoned} audit
     * event records it. Safe beside live runs of other processes and machines that send heartbeats, and when several
     * processes sweep at once (each run is claimed by one conditional update). Returns the runs it failed.
     * The lease must be longer than the heartbeat interval plus the clock difference between the machines.
     */
    public List<AbandonedRun> failExpiredRuns(Duration lease) {
        Require.present(lease, "failExpiredRuns: lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("failExpiredRuns: the lease must be positive, got " + lease);
        }
        Instant now = now();
        Instant cutoff = now.minus(lease);
        List<String> candidates = sessionFactory.fromTransaction(s -> Leases.expiredCandidates(s, cutoff));
        String actor = System.getProperty("user.name", "candor");
        List<AbandonedRun> failed = new java.util.ArrayList<>();
        for (String runId : candidates) {
            sessionFactory.fromTransaction(s -> Leases.failIfExpired(s, runId, cutoff, now, lease, actor)).ifPresent(failed::add);
        }
        return List.copyOf(failed);
    }

    /** Who holds a run and when it last sent a heartbeat; empty when there is no such run. */
    public Optional<RunLease> lease(String runId) {
        return sessionFactory.fromTransaction(s -> Leases.lease(s, runId));
    }

    /**
     * Marks every RUNNING run, and its RUNNING stage runs, FAILED with {@code reason}; returns how many runs.
     * For a registry only this process uses. Not safe while another process runs pipelines against the same database
     * (it would fail their runs too): {@link #failExpiredRuns} is, and is what the CLI uses.
     */
    public int failAbandonedRuns(String reason) {
        Require.text(reason, "failAbandonedRuns: reason");
        return sessionFactory.fromTransaction(s -> {
            Instant now = now();
            List<StageRun> stages = s.createSelectionQuery(
                            "from StageRun where status = :running and run.status = :runRunning", StageRun.class)
                    .setParameter("running", StageStatus.RUNNING).setParameter("runRunning", RunStatus.RUNNING).getResultList();
            stages.forEach(sr -> sr.failed(reason, null, now));
            List<Run> runs = s.createSelectionQuery("from Run where status = :running", Run.class)
                    .setParameter("running", RunStatus.RUNNING).getResultList();
            String actor = System.getProperty("user.name", "candor");
            for (Run run : runs) {
                run.finish(RunStatus.FAILED, reason, now);
                persist(s, new AuditEvent(newId(), now, actor, "run.abandoned", "run", run.getId(), reason));
            }
            return runs.size();
        });
    }

    /** The newest runs first, at most {@code limit}. */
    public List<RunSummary> listRuns(int limit) {
        return sessionFactory.fromTransaction(s -> new RegistryQueries(s).listRuns(limit));
    }

    /** A run by id or by a prefix of its id; a prefix shared by several runs is an IllegalArgumentException naming them. */
    public Optional<RunDetail> getRun(String idOrUniquePrefix) {
        return sessionFactory.fromTransaction(s -> new RegistryQueries(s).getRun(idOrUniquePrefix));
    }

    /** Which stage of a run read what another stage of it wrote (see {@link RegistryQueries#stageLinks}). */
    public List<StageLink> stageLinks(String runId) {
        return sessionFactory.fromTransaction(s -> new RegistryQueries(s).stageLinks(runId));
    }

    /** The gates of several runs at once (see {@link RegistryQueries#gatesOfRuns}). */
    public Map<String, List<GateResultView>> gatesOfRuns(List<String> runIds) {
        return sessionFactory.fromTransaction(s -> new RegistryQueries(s).gatesOfRuns(runIds));
    }

    /** The model versions a run registered (see {@link RegistryQueries#modelVersions}). */
    public List<ModelVersionView> modelVersions(String runId) {
        return sessionFactory.fromTransaction(s -> new RegistryQueries(s).modelVersions(runId));
    }

    /** A model version by its id; empty when there is none. */
    public Optional<ModelVersionView> modelVersion(String modelVersionId) {
        return sessionFactory.fromTransaction(s -> new RegistryQueries(s).modelVersion(modelVersionId));
    }

    /** The run of the same pipeline before {@code runId}, or the last one with an approved model (see {@link RegistryQueries#previousRun}). */
    public Optional<RunSummary> previousRun(String runId, boolean approvedOnly) {
        return sessionFactory.fromTransaction(s -> new RegistryQueries(s).previousRun(runId, approvedOnly));
    }

    private void link(Session s, StageRun stageRun, String outputArtifactId, List<String> inputArtifactIds) {
        // A stage that reads one artifact through two inputs still has one IN edge to it.
        for (String input : inputArtifactIds == null ? Set.<String>of() : new LinkedHashSet<>(inputArtifactIds)) {
            persist(s, new Lineage(newId(), stageRun, artifact(s, input), LineageDirection.IN));
        }
        if (outputArtifactId != null) {
            persist(s, new Lineage(newId(), stageRun, artifact(s, outputArtifactId), LineageDirection.OUT));
        }
    }

    private <R> R retryingUniqueRaces(String what, Function<Session, R> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return sessionFactory.fromTransaction(work);
            } catch (RuntimeException e) {
                if (!isConstraintViolation(e) || attempt == UNIQUE_RACE_ATTEMPTS) {
                    throw e;
                }
                // Another writer inserted the same unique row between our read and our insert: read again, after a
                // short random pause so the losers do not collide again in lockstep.
                pause(ThreadLocalRandom.current().nextLong(1, 5L * attempt + 1));
            }
        }
    }

    /**
     * A review transaction, retried when the database gives up waiting for the model version's row lock (H2's lock
     * timeout, a PostgreSQL deadlock): another reviewer held it. Each retry reads the state that reviewer left.
     */
    private boolean reviewing(String modelVersionId, Function<Session, Boolean> review) {
        for (int attempt = 1; ; attempt++) {
            try {
                return sessionFactory.fromTransaction(review);
            } catch (RuntimeException e) {
                if (!isLockConflict(e)) {
                    throw e;
                }
                if (attempt == UNIQUE_RACE_ATTEMPTS) {
                    throw new IllegalStateException("model version " + modelVersionId + " is being reviewed by someone else"
                            + " at this moment (its row stayed locked through " + attempt + " attempts); try again", e);
                }
                pause(ThreadLocalRandom.current().nextLong(1, 20L * attempt + 1));
            }
        }
    }

    /** The database refused a lock in time, or broke a deadlock, or a row changed under an optimistic lock. */
    private static boolean isLockConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof jakarta.persistence.PessimisticLockException || t instanceof jakarta.persistence.LockTimeoutException
                    || t instanceof jakarta.persistence.OptimisticLockException
                    || t instanceof org.hibernate.PessimisticLockException || t instanceof org.hibernate.StaleStateException
                    || t instanceof org.hibernate.exception.LockAcquisitionException) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a registry write", e);
        }
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The run, its row locked until the transaction ends: every write to a run goes through here, so a write decides
     * from the run's current status and a process that fails the run meanwhile (an expired lease) waits, instead of
     * one of the two overwriting the other.
     */
    private static Run run(Session s, String runId) {
        Run run = runId == null ? null : s.find(Run.class, runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null) {
            throw new IllegalArgumentException("no run with id " + runId + " in the registry");
        }
        return run;
    }

    private static Run runningRun(Session s, String runId, String stageId) {
        return running(run(s, runId), "recording stage '" + RegistryLimits.preview(stageId) + "'");
    }

    /** The run, when it is RUNNING; else the {@link RunEndedException} that fences off a worker that lost it. */
    private static Run running(Run run, String refused) {
        if (run.getStatus() != RunStatus.RUNNING) {
            throw new RunEndedException(run.getId(), run.getStatus(), run.getError(), refused);
        }
        return run;
    }

    /** A stage run of a RUNNING run (see {@link #running}). */
    private static StageRun runningStage(Session s, String stageRunId, String refused) {
        StageRun stageRun = stageRun(s, stageRunId);
        s.refresh(stageRun.getRun(), LockModeType.PESSIMISTIC_WRITE); // as in run(): decide from the locked, current row
        running(stageRun.getRun(), refused + " for stage '" + stageRun.getStageId() + "'");
        return stageRun;
    }

    private static StageRun stageRun(Session s, String stageRunId) {
        StageRun stageRun = stageRunId == null ? null : s.find(StageRun.class, stageRunId);
        if (stageRun == null) {
            throw new IllegalArgumentException("no stage run with id " + stageRunId + " in the registry");
        }
        return stageRun;
    }

    private static Artifact artifact(Session s, String artifactId) {
        Artifact artifact = artifactId == null ? null : s.find(Artifact.class, artifactId);
        if (artifact == null) {
            throw new IllegalArgumentException("no artifact with id " + artifactId
                    + " in the registry; register it with putArtifact first");
        }
        return artifact;
    }

    private static ArtifactRecord toRecord(Artifact a) {
        return new ArtifactRecord(a.getId(), a.getKind(), a.getUri(), a.getSha256(), a.getSizeBytes(),
                Json.readStringMap(a.getMetadataJson(), "artifact " + a.getId() + " metadata_json"));
    }

    private static <T> T persist(Session s, T entity) {
        s.persist(entity);
        return entity;
    }

    /** Microseconds: what both H2 and PostgreSQL keep, so an Instant reads back equal to what was written. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
