-- Candor registry, version 2: release gates and findings. One script for H2 2.4 and PostgreSQL 15, portable types only.

-- A run whose stages all succeeded but whose gates did not all pass ends FAILED_GATES: distinct from FAILED (a stage
-- failed), so a reviewer can tell "the model is worse than required" from "the pipeline broke".
ALTER TABLE run DROP CONSTRAINT ck_run_status;
ALTER TABLE run ADD CONSTRAINT ck_run_status CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'FAILED_GATES'));

-- One row per gate of a run, in the order the pipeline lists them. values_json is a JSON object from each result the
-- gate refers to (<stage id>.<name>) to its value, or null when the stage did not record it.
CREATE TABLE gate_result (
    id            VARCHAR(36)   NOT NULL,
    run_id        VARCHAR(36)   NOT NULL,
    position      INTEGER       NOT NULL,
    expression    VARCHAR(4000) NOT NULL,
    passed        BOOLEAN       NOT NULL,
    values_json   VARCHAR(1000000) NOT NULL,
    detail        VARCHAR(1000000) NOT NULL,
    evaluated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_gate_result PRIMARY KEY (id),
    CONSTRAINT fk_gate_result_run FOREIGN KEY (run_id) REFERENCES run (id),
    CONSTRAINT uq_gate_result_run_position UNIQUE (run_id, position)
);
CREATE INDEX ix_gate_result_run ON gate_result (run_id);

-- What a stage reported that a reviewer must see and that is not a number. A stage served from the cache gets a copy
-- of the findings of the stage run it reused, so every run lists its own. position keeps the order the stage
-- reported them in.
CREATE TABLE finding (
    id            VARCHAR(36)   NOT NULL,
    run_id        VARCHAR(36)   NOT NULL,
    stage_run_id  VARCHAR(36)   NOT NULL,
    position      INTEGER       NOT NULL,
    severity      VARCHAR(16)   NOT NULL,
    code          VARCHAR(200)  NOT NULL,
    subject       VARCHAR(4000),
    message       VARCHAR(1000000) NOT NULL,
    CONSTRAINT pk_finding PRIMARY KEY (id),
    CONSTRAINT fk_finding_run FOREIGN KEY (run_id) REFERENCES run (id),
    CONSTRAINT fk_finding_stage_run FOREIGN KEY (stage_run_id) REFERENCES stage_run (id),
    CONSTRAINT ck_finding_severity CHECK (severity IN ('INFO', 'WARNING'))
);
CREATE INDEX ix_finding_run ON finding (run_id);
CREATE INDEX ix_finding_stage_run ON finding (stage_run_id);
