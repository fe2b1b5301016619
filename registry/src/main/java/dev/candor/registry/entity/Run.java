package dev.candor.registry.entity;

import dev.candor.registry.RegistryLimits;
import dev.candor.registry.RunStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** One execution of a pipeline version: who ran it, where, with which seed, and how it ended. */
@Entity
@Table(name = "run")
public class Run {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "pipeline_version_id", nullable = false)
    private PipelineVersion pipelineVersion;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", length = 16, nullable = false)
    private RunStatus status;

    @Column(name = "seed", nullable = false)
    private long seed;

    @Column(name = "runner", length = RegistryLimits.RUNNER, nullable = false)
    private String runner;

    @Column(name = "device", length = RegistryLimits.DEVICE, nullable = false)
    private String device;

    @Column(name = "engine_version", length = RegistryLimits.ENGINE_VERSION, nullable = false)
    private String engineVersion;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "error", length = RegistryLimits.LARGE_TEXT)
    private String error;

    @Column(name = "actor", length = RegistryLimits.ACTOR, nullable = false)
    private String actor;

    /** The process that runs it, {@code host:pid}; null for runs recorded before worker leases (schema version 3). */
    @Column(name = "worker", length = RegistryLimits.WORKER)
    private String worker;

    /** When its worker last said it is alive; a RUNNING run whose heartbeat is older than the lease was abandoned. */
    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    /**
     * Optimistic lock (schema version 4): every change through this entity (finishing, failing an abandoned run) checks
     * that nobody changed the row since it was read, so of two processes ending one run the second fails instead of
     * overwriting the first. Heartbeats are one conditional UPDATE of {@code heartbeat_at} that leaves it alone on
     * purpose: a worker's own heartbeat must never make its state change fail.
     */
    @Version
    @Column(name = "lock_version", nullable = false)
    private long lockVersion;

    protected Run() {
        // for JPA
    }

    public Run(String id, PipelineVersion pipelineVersion, long seed, String runner, String device,
               String engineVersion, String actor, String worker, Instant startedAt) {
        this.id = id;
        this.pipelineVersion = pipelineVersion;
        this.status = RunStatus.RUNNING;
        this.seed = seed;
        this.runner = RegistryLimits.require(runner, RegistryLimits.RUNNER, "runner");
        this.device = RegistryLimits.require(device, RegistryLimits.DEVICE, "device");
        this.engineVersion = RegistryLimits.require(engineVersion, RegistryLimits.ENGINE_VERSION, "engine version");
        this.actor = RegistryLimits.require(actor, RegistryLimits.ACTOR, "actor");
        this.worker = RegistryLimits.fit(worker, RegistryLimits.WORKER);
        this.startedAt = startedAt;
        this.heartbeatAt = startedAt;
    }

    /** Ends the run; {@code error} is null for a run that succeeded. */
    public void finish(RunStatus finalStatus, String errorMessage, Instant at) {
        if (finalStatus == RunStatus.RUNNING) {
            throw new IllegalArgumentException("run " + id + ": a run finishes as SUCCEEDED, FAILED or FAILED_GATES, not RUNNING");
        }
        this.status = finalStatus;
        this.error = RegistryLimits.fit(errorMessage, RegistryLimits.LARGE_TEXT);
        this.finishedAt = at;
    }

    public String getId() {
        return id;
    }

    public PipelineVersion getPipelineVersion() {
        return pipelineVersion;
    }

    public RunStatus getStatus() {
        return status;
    }

    public long getSeed() {
        return seed;
    }

    public String getRunner() {
        return runner;
    }

    public String getDevice() {
        return device;
    }

    public String getEngineVersion() {
        return engineVersion;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public String getError() {
        return error;
    }

    public String getActor() {
        return actor;
    }

    public String getWorker() {
        return worker;
    }

    public Instant getHeartbeatAt() {
        return heartbeatAt;
    }
}
