-- Candor registry, version 4: optimistic locking. One script for H2 2.4 and PostgreSQL 15, portable types only.
-- The rows that change after they are written (a run ends, a stage run ends, a model version is reviewed) carry a
-- version number that Hibernate checks and increments on every update through the entity (@Version): of two writers
-- that read the same row, the second fails instead of silently overwriting the first. The column is lock_version,
-- not version: model_version.version is already the model's version number.
-- Reviews also lock the model version's row (SELECT ... FOR UPDATE) and decide from the locked state: 40 parallel
-- rejections wrote duplicate audit events before.
ALTER TABLE run ADD COLUMN lock_version BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE stage_run ADD COLUMN lock_version BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE model_version ADD COLUMN lock_version BIGINT DEFAULT 0 NOT NULL;
