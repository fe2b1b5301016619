package dev.candor.registry;

import java.time.Instant;

/**
 * Who holds a run and when it last said so.
 *
 * @param runId       the run
 * @param status      its status now
 * @param worker      the process that runs (or ran) it, {@code host:pid}; null for runs recorded before worker leases
 * @param heartbeatAt its worker's last heartbeat; null for finished runs recorded before worker leases
 */
public record RunLease(String runId, RunStatus status, String worker, Instant heartbeatAt) {
}
