package dev.candor.registry.entity;

import dev.candor.registry.RegistryLimits;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/** A content-addressed artifact: one row per (sha256, kind), however many stage runs produced or read it. */
@Entity
@Table(name = "artifact", uniqueConstraints = @UniqueConstraint(name = "uq_artifact_sha_kind", columnNames = {"sha256", "kind"}))
public class Artifact {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    /** DATASET, MODEL, EVALUATION: a string, not an enum, so a new kind needs no migration. */
    @Column(name = "kind", length = RegistryLimits.ARTIFACT_KIND, nullable = false)
    private String kind;

    @Column(name = "uri", length = RegistryLimits.ARTIFACT_URI, nullable = false)
    private String uri;

    @Column(name = "sha256", length = 64, nullable = false)
    private String sha256;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(name = "metadata_json", length = RegistryLimits.LARGE_TEXT, nullable = false)
    private String metadataJson;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Artifact() {
        // for JPA
    }

    public Artifact(String id, String kind, String uri, String sha256, long sizeBytes, String metadataJson, Instant createdAt) {
        this.id = id;
        this.kind = RegistryLimits.require(kind, RegistryLimits.ARTIFACT_KIND, "artifact kind");
        this.uri = RegistryLimits.require(uri, RegistryLimits.ARTIFACT_URI, "artifact URI");
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.metadataJson = RegistryLimits.require(metadataJson, RegistryLimits.LARGE_TEXT, "the artifact's metadata as JSON,");
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public String getKind() {
        return kind;
    }

    public String getUri() {
        return uri;
    }

    public String getSha256() {
        return sha256;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public String getMetadataJson() {
        return metadataJson;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
