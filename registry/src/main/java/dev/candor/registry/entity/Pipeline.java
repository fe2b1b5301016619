package dev.candor.registry.entity;

import dev.candor.registry.RegistryLimits;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A pipeline, identified by the {@code metadata.name} of its YAML. Its YAML texts are {@link PipelineVersion}s. */
@Entity
@Table(name = "pipeline")
public class Pipeline {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @Column(name = "name", length = RegistryLimits.PIPELINE_NAME, nullable = false, unique = true)
    private String name;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Pipeline() {
        // for JPA
    }

    public Pipeline(String id, String name, Instant createdAt) {
        this.id = id;
        this.name = RegistryLimits.require(name, RegistryLimits.PIPELINE_NAME, "pipeline name");
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
