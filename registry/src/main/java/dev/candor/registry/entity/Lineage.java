package dev.candor.registry.entity;

import dev.candor.registry.LineageDirection;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** An edge of the lineage graph: a stage run read ({@code IN}) or produced ({@code OUT}) an artifact. */
@Entity
@Table(name = "lineage")
public class Lineage {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "stage_run_id", nullable = false)
    private StageRun stageRun;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "artifact_id", nullable = false)
    private Artifact artifact;

    @Enumerated(EnumType.STRING)
    @Column(name = "direction", length = 8, nullable = false)
    private LineageDirection direction;

    protected Lineage() {
        // for JPA
    }

    public Lineage(String id, StageRun stageRun, Artifact artifact, LineageDirection direction) {
        this.id = id;
        this.stageRun = stageRun;
        this.artifact = artifact;
        this.direction = direction;
    }

    public String getId() {
        return id;
    }

    public StageRun getStageRun() {
        return stageRun;
    }

    public Artifact getArtifact() {
        return artifact;
    }

    public LineageDirection getDirection() {
        return direction;
    }
}
