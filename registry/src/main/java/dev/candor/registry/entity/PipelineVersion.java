package dev.candor.registry.entity;

import dev.candor.registry.RegistryLimits;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** One distinct YAML text of a pipeline (by sha256): runs point at the exact text they executed. */
@Entity
@Table(name = "pipeline_version")
public class PipelineVersion {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "pipeline_id", nullable = false)
    private Pipeline pipeline;

    @Column(name = "yaml_sha256", length = 64, nullable = false)
    private String yamlSha256;

    @Column(name = "yaml_text", length = RegistryLimits.YAML_TEXT, nullable = false)
    private String yamlText;

    @Column(name = "file_path", length = RegistryLimits.FILE_PATH, nullable = false)
    private String filePath;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected PipelineVersion() {
        // for JPA
    }

    public PipelineVersion(String id, Pipeline pipeline, String yamlSha256, String yamlText, String filePath, Instant createdAt) {
        this.id = id;
        this.pipeline = pipeline;
        this.yamlSha256 = yamlSha256;
        this.yamlText = RegistryLimits.require(yamlText, RegistryLimits.YAML_TEXT, "pipeline YAML text");
        this.filePath = RegistryLimits.require(filePath, RegistryLimits.FILE_PATH, "pipeline file path");
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public Pipeline getPipeline() {
        return pipeline;
    }

    public String getYamlSha256() {
        return yamlSha256;
    }

    public String getYamlText() {
        return yamlText;
    }

    public String getFilePath() {
        return filePath;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
