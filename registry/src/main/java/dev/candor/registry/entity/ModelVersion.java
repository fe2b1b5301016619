package dev.candor.registry.entity;

import dev.candor.registry.ModelStatus;
import dev.candor.registry.RegistryLimits;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import jakarta.persistence.Version;
import java.time.Instant;

/** A numbered version of a named model: the model artifact, the run and stage run that produced it, its review state. */
@Entity
@Table(name = "model_version",
        uniqueConstraints = @UniqueConstraint(name = "uq_model_version_name_version", columnNames = {"name", "version"}))
public class ModelVersion {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @Column(name = "name", length = RegistryLimits.MODEL_NAME, nullable = false)
    private String name;

    @Column(name = "version", nullable = false)
    private int version;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "artifact_id", nullable = false)
    private Artifact artifact;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "run_id", nullable = false)
    private Run run;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "stage_run_id", nullable = false)
    private StageRun stageRun;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", length = 16, nullable = false)
    private ModelStatus status;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /**
     * Optimistic lock (schema version 4). Reviews also lock the row ({@code ModelReviews}); this catches any other
     * writer that would overwrite a decision it did not read.
     */
    @Version
    @Column(name = "lock_version", nullable = false)
    private long lockVersion;

    protected ModelVersion() {
        // for JPA
    }

    public ModelVersion(String id, String name, int version, Artifact artifact, Run run, StageRun stageRun, Instant createdAt) {
        this.id = id;
        this.name = RegistryLimits.require(name, RegistryLimits.MODEL_NAME, "model name");
        this.version = version;
        this.artifact = artifact;
        this.run = run;
        this.stageRun = stageRun;
        this.status = ModelStatus.CANDIDATE;
        this.createdAt = createdAt;
    }

    /** Records a reviewer's decision (the caller writes the audit event). */
    public void review(ModelStatus decision) {
        if (decision == ModelStatus.CANDIDATE) {
            throw new IllegalArgumentException("model " + name + " v" + version + ": a review decides APPROVED or REJECTED, not CANDIDATE");
        }
        this.status = decision;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public int getVersion() {
        return version;
    }

    public Artifact getArtifact() {
        return artifact;
    }

    public Run getRun() {
        return run;
    }

    public StageRun getStageRun() {
        return stageRun;
    }

    public ModelStatus getStatus() {
        return status;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
