-- Candor registry, version 3: worker leases. One script for H2 2.4 and PostgreSQL 15, portable types only.
-- A process that runs a pipeline records who it is (worker: host:pid) and refreshes heartbeat_at while the run goes.
-- A RUNNING run whose heartbeat is older than the lease was killed or crashed (SIGKILL, power loss): any process may
-- then mark it FAILED. On a shared registry this is how one machine tells a dead run from another machine's live one.
ALTER TABLE run ADD COLUMN worker VARCHAR(200);
ALTER TABLE run ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;

-- Runs an older Candor left RUNNING never heartbeat: their start stands in for their last heartbeat, so the lease
-- expires them too instead of leaving them running forever.
UPDATE run SET heartbeat_at = started_at WHERE status = 'RUNNING';

CREATE INDEX ix_run_status_heartbeat ON run (status, heartbeat_at);
