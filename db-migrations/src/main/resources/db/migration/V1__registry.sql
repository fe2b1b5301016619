-- Candor registry, version 1. One script for H2 2.4 and PostgreSQL 15: portable types only.
-- Ids are UUID strings assigned in Java (VARCHAR(36)), so rows can be created before the insert
-- and no database-specific sequence or identity syntax is needed.
-- Hibernate validates this schema (never creates or updates it): change it only with a new V<n>__*.sql.
-- The metric value column is metric_value, not value: VALUE is a reserved word in H2 2.x.

CREATE TABLE pipeline (
    id          VARCHAR(36)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_pipeline PRIMARY KEY (id),
    CONSTRAINT uq_pipeline_name UNIQUE (name)
);

CREATE TABLE pipeline_version (
    id           VARCHAR(36)   NOT NULL,
    pipeline_id  VARCHAR(36)   NOT NULL,
    yaml_sha256  VARCHAR(64)   NOT NULL,
    yaml_text    VARCHAR(1000000) NOT NULL,
    file_path    VARCHAR(4000) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_pipeline_version PRIMARY KEY (id),
    CONSTRAINT fk_pipeline_version_pipeline FOREIGN KEY (pipeline_id) REFERENCES pipeline (id),
    CONSTRAINT uq_pipeline_version_sha UNIQUE (pipeline_id, yaml_sha256)
);

CREATE TABLE run (
    id                   VARCHAR(36)  NOT NULL,
    pipeline_version_id  VARCHAR(36)  NOT NULL,
    status               VARCHAR(16)  NOT NULL,
    seed                 BIGINT       NOT NULL,
    runner               VARCHAR(200) NOT NULL,
    device               VARCHAR(200) NOT NULL,
    engine_version       VARCHAR(100) NOT NULL,
    started_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at          TIMESTAMP WITH TIME ZONE,
    error                VARCHAR(1000000),
    actor                VARCHAR(200) NOT NULL,
    CONSTRAINT pk_run PRIMARY KEY (id),
    CONSTRAINT fk_run_pipeline_version FOREIGN KEY (pipeline_version_id) REFERENCES pipeline_version (id),
    CONSTRAINT ck_run_status CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED'))
);
CREATE INDEX ix_run_pipeline_version ON run (pipeline_version_id);
CREATE INDEX ix_run_started_at ON run (started_at);
CREATE INDEX ix_run_status ON run (status);

CREATE TABLE stage_run (
    id                 VARCHAR(36)  NOT NULL,
    run_id             VARCHAR(36)  NOT NULL,
    stage_id           VARCHAR(200) NOT NULL,
    stage_type         VARCHAR(200) NOT NULL,
    position           INTEGER      NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    fingerprint        VARCHAR(64),
    config_json        VARCHAR(1000000) NOT NULL,
    input_hashes_json  VARCHAR(1000000),
    cache_hit          BOOLEAN      NOT NULL,
    cache_reason       VARCHAR(4000),
    reused_from        VARCHAR(36),
    summary            VARCHAR(1000000),
    error              VARCHAR(1000000),
    error_detail       VARCHAR(1000000),
    started_at         TIMESTAMP WITH TIME ZONE,
    finished_at        TIMESTAMP WITH TIME ZONE,
    duration_ms        BIGINT,
    CONSTRAINT pk_stage_run PRIMARY KEY (id),
    CONSTRAINT fk_stage_run_run FOREIGN KEY (run_id) REFERENCES run (id),
    CONSTRAINT fk_stage_run_reused_from FOREIGN KEY (reused_from) REFERENCES stage_run (id),
    CONSTRAINT ck_stage_run_status CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED')),
    -- Only a skipped stage (its inputs were never produced) may lack a fingerprint and input hashes.
    CONSTRAINT ck_stage_run_fingerprint CHECK (status = 'SKIPPED' OR (fingerprint IS NOT NULL AND input_hashes_json IS NOT NULL))
);
CREATE INDEX ix_stage_run_run ON stage_run (run_id);
CREATE INDEX ix_stage_run_fingerprint ON stage_run (fingerprint, status);
CREATE INDEX ix_stage_run_stage_id ON stage_run (stage_id);
CREATE INDEX ix_stage_run_reused_from ON stage_run (reused_from);

-- kind has no CHECK on purpose: new artifact kinds (explanations, reports) must not need a migration.
CREATE TABLE artifact (
    id             VARCHAR(36)   NOT NULL,
    kind           VARCHAR(32)   NOT NULL,
    uri            VARCHAR(4000) NOT NULL,
    sha256         VARCHAR(64)   NOT NULL,
    size_bytes     BIGINT        NOT NULL,
    metadata_json  VARCHAR(1000000) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_artifact PRIMARY KEY (id),
    CONSTRAINT uq_artifact_sha_kind UNIQUE (sha256, kind)
);

CREATE TABLE lineage (
    id            VARCHAR(36) NOT NULL,
    stage_run_id  VARCHAR(36) NOT NULL,
    artifact_id   VARCHAR(36) NOT NULL,
    direction     VARCHAR(8)  NOT NULL,
    CONSTRAINT pk_lineage PRIMARY KEY (id),
    CONSTRAINT fk_lineage_stage_run FOREIGN KEY (stage_run_id) REFERENCES stage_run (id),
    CONSTRAINT fk_lineage_artifact FOREIGN KEY (artifact_id) REFERENCES artifact (id),
    CONSTRAINT ck_lineage_direction CHECK (direction IN ('IN', 'OUT'))
);
CREATE INDEX ix_lineage_stage_run ON lineage (stage_run_id);
CREATE INDEX ix_lineage_artifact ON lineage (artifact_id);

CREATE TABLE metric (
    id            VARCHAR(36)  NOT NULL,
    run_id        VARCHAR(36)  NOT NULL,
    stage_run_id  VARCHAR(36)  NOT NULL,
    name          VARCHAR(200) NOT NULL,
    metric_value  DOUBLE PRECISION NOT NULL,
    split         VARCHAR(64),
    slice         VARCHAR(400),
    CONSTRAINT pk_metric PRIMARY KEY (id),
    CONSTRAINT fk_metric_run FOREIGN KEY (run_id) REFERENCES run (id),
    CONSTRAINT fk_metric_stage_run FOREIGN KEY (stage_run_id) REFERENCES stage_run (id)
);
CREATE INDEX ix_metric_run ON metric (run_id);
CREATE INDEX ix_metric_stage_run ON metric (stage_run_id);
CREATE INDEX ix_metric_name ON metric (name);

CREATE TABLE model_version (
    id            VARCHAR(36)  NOT NULL,
    name          VARCHAR(200) NOT NULL,
    version       INTEGER      NOT NULL,
    artifact_id   VARCHAR(36)  NOT NULL,
    run_id        VARCHAR(36)  NOT NULL,
    stage_run_id  VARCHAR(36)  NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_model_version PRIMARY KEY (id),
    CONSTRAINT fk_model_version_artifact FOREIGN KEY (artifact_id) REFERENCES artifact (id),
    CONSTRAINT fk_model_version_run FOREIGN KEY (run_id) REFERENCES run (id),
    CONSTRAINT fk_model_version_stage_run FOREIGN KEY (stage_run_id) REFERENCES stage_run (id),
    CONSTRAINT uq_model_version_name_version UNIQUE (name, version),
    CONSTRAINT ck_model_version_status CHECK (status IN ('CANDIDATE', 'APPROVED', 'REJECTED'))
);
CREATE INDEX ix_model_version_artifact ON model_version (artifact_id);
CREATE INDEX ix_model_version_run ON model_version (run_id);
CREATE INDEX ix_model_version_stage_run ON model_version (stage_run_id);

CREATE TABLE audit_event (
    id           VARCHAR(36)  NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    actor        VARCHAR(200) NOT NULL,
    action       VARCHAR(100) NOT NULL,
    entity_type  VARCHAR(100) NOT NULL,
    entity_id    VARCHAR(200) NOT NULL,
    details      VARCHAR(1000000) NOT NULL,
    CONSTRAINT pk_audit_event PRIMARY KEY (id)
);
CREATE INDEX ix_audit_event_entity ON audit_event (entity_type, entity_id);
CREATE INDEX ix_audit_event_at ON audit_event (at);
