package dev.candor.registry.entity;

import dev.candor.registry.RegistryLimits;
import dev.candor.registry.StageStatus;
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
import java.time.Duration;
import java.time.Instant;

/**
 * One stage of one run: its fingerprint and the inputs behind it, whether it ran or was served from cache
 * (and from which stage run), and how it ended.
 */
@Entity
@Table(name = "stage_run")
public class StageRun {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "run_id", nullable = false)
    private Run run;

    @Column(name = "stage_id", length = RegistryLimits.STAGE_ID, nullable = false)
    private String stageId;

    @Column(name = "stage_type", length = RegistryLimits.STAGE_TYPE, nullable = false)
    private String stageType;

    @Column(name = "position", nullable = false)
    private int position;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", length = 16, nullable = false)
    private StageStatus status;

    @Column(name = "fingerprint", length = 64)
    private String fingerprint;

    @Column(name = "config_json", length = RegistryLimits.LARGE_TEXT, nullable = false)
    private String configJson;

    @Column(name = "input_hashes_json", length = RegistryLimits.LARGE_TEXT)
    private String inputHashesJson;

    @Column(name = "cache_hit", nullable = false)
    private boolean cacheHit;

    @Column(name = "cache_reason", length = RegistryLimits.CACHE_REASON)
    private String cacheReason;

    /** The id of the stage run whose output this one reused; a plain id, so reading a stage run loads no chain. */
    @Column(name = "reused_from", length = 36)
    private String reusedFrom;

    @Column(name = "summary", length = RegistryLimits.LARGE_TEXT)
    private String summary;

    @Column(name = "error", length = RegistryLimits.LARGE_TEXT)
    private String error;

    @Column(name = "error_detail", length = RegistryLimits.LARGE_TEXT)
    private String errorDetail;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "duration_ms")
    private Long durationMs;

    /**
     * Optimistic lock (schema version 4): a stage run ended by its worker and, at the same time, failed as abandoned
     * by another process is ended once; the second writer fails instead of overwriting the first.
     */
    @Version
    @Column(name = "lock_version", nullable = false)
    private long lockVersion;

    protected StageRun() {
        // for JPA
    }

    public StageRun(String id, Run run, String stageId, String stageType, int position, StageStatus status,
                    String fingerprint, String configJson, String inputHashesJson, Instant startedAt) {
        this.id = id;
        this.run = run;
        this.stageId = RegistryLimits.require(stageId, RegistryLimits.STAGE_ID, "stage id");
        this.stageType = RegistryLimits.require(stageType, RegistryLimits.STAGE_TYPE, "stage type");
        this.position = position;
        this.status = status;
        this.fingerprint = fingerprint;
        this.configJson = RegistryLimits.require(configJson, RegistryLimits.LARGE_TEXT, "the configuration of stage '" + RegistryLimits.preview(stageId) + "' as JSON,");
        this.inputHashesJson = RegistryLimits.require(inputHashesJson, RegistryLimits.LARGE_TEXT, "the input hashes of stage '" + RegistryLimits.preview(stageId) + "' as JSON,");
        this.startedAt = startedAt;
    }

    /** The stage ran and succeeded. */
    public void succeeded(String summaryLine, String reason, Instant at) {
        end(StageStatus.SUCCEEDED, at);
        this.cacheHit = false;
        this.summary = RegistryLimits.fit(summaryLine, RegistryLimits.LARGE_TEXT);
        this.cacheReason = RegistryLimits.fit(reason, RegistryLimits.CACHE_REASON);
    }

    /** The stage was served from the cache: it reuses {@code reusedStageRunId}'s output and summary. */
    public void reused(String reusedStageRunId, String summaryLine, String reason, Instant at) {
        end(StageStatus.SUCCEEDED, at);
        this.cacheHit = true;
        this.reusedFrom = reusedStageRunId;
        this.summary = RegistryLimits.fit(summaryLine, RegistryLimits.LARGE_TEXT);
        this.cacheReason = RegistryLimits.fit(reason, RegistryLimits.CACHE_REASON);
    }

    /** The stage failed; {@code detail} is the stack trace. */
    public void failed(String message, String detail, Instant at) {
        end(StageStatus.FAILED, at);
        this.error = RegistryLimits.fit(message, RegistryLimits.LARGE_TEXT);
        this.errorDetail = RegistryLimits.fit(detail, RegistryLimits.LARGE_TEXT);
    }

    /** Records why the stage was skipped (it never started). */
    public void skipped(String reason) {
        if (status != StageStatus.SKIPPED) {
            throw new IllegalStateException("stage run " + id + " (stage '" + stageId + "') is " + status + ", not SKIPPED");
        }
        this.summary = RegistryLimits.fit(reason, RegistryLimits.LARGE_TEXT);
    }

    /**
     * Its run was abandoned (the worker was killed or crashed): a RUNNING stage run fails with {@code reason}; one that
     * never started (PENDING), or that lacks the fingerprint a failed stage run must have, is SKIPPED with
     * {@code reason} as its summary. Other states are final and stay as they are.
     */
    public void abandoned(String reason, Instant at) {
        if (status == StageStatus.RUNNING && fingerprint != null && inputHashesJson != null) {
            failed(reason, null, at);
        } else if (status == StageStatus.RUNNING || status == StageStatus.PENDING) {
            this.status = StageStatus.SKIPPED;
            this.finishedAt = startedAt == null ? null : at;
            this.durationMs = startedAt == null ? null : Duration.between(startedAt, at).toMillis();
            this.summary = RegistryLimits.fit(reason, RegistryLimits.LARGE_TEXT);
        }
    }

    private void end(StageStatus finalStatus, Instant at) {
        if (status != StageStatus.RUNNING) {
            throw new IllegalStateException("stage run " + id + " (stage '" + stageId + "') is " + status
                    + "; only a RUNNING stage run can end as " + finalStatus + " (was it finished twice?)");
        }
        this.status = finalStatus;
        this.finishedAt = at;
        this.durationMs = startedAt == null ? null : Duration.between(startedAt, at).toMillis();
    }

    public String getId() {
        return id;
    }

    public Run getRun() {
        return run;
    }

    public String getStageId() {
        return stageId;
    }

    public String getStageType() {
        return stageType;
    }

    public int getPosition() {
        return position;
    }

    public StageStatus getStatus() {
        return status;
    }

    public String getFingerprint() {
        return fingerprint;
    }

    public String getConfigJson() {
        return configJson;
    }

    public String getInputHashesJson() {
        return inputHashesJson;
    }

    public boolean isCacheHit() {
        return cacheHit;
    }

    public String getCacheReason() {
        return cacheReason;
    }

    public String getReusedFrom() {
        return reusedFrom;
    }

    public String getSummary() {
        return summary;
    }

    public String getError() {
        return error;
    }

    public String getErrorDetail() {
        return errorDetail;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public Long getDurationMs() {
        return durationMs;
    }
}
