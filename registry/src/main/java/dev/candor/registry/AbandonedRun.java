package dev.candor.registry;

import java.time.Instant;

/**
 * A run whose worker stopped sending heartbeats, and that this process therefore marked FAILED.
 *
 * @param runId         the run
 * @param pipelineName  its pipeline
 * @param worker        the process that ran it ({@code host:pid}), or null for a run recorded before worker leases
 * @param lastHeartbeat when that worker last said it was alive
 * @param error         the error the run now carries
 */
public record AbandonedRun(String runId, String pipelineName, String worker, Instant lastHeartbeat, String error) {
}
