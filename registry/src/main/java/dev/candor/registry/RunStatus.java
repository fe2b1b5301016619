package dev.candor.registry;

/**
 * The state of a run. A run is never left {@link #RUNNING} after its process ends: a stopped process fails it from a
 * shutdown hook, and a killed or crashed one stops sending heartbeats, so the next process fails it when its lease
 * expires (see {@link Registry#failExpiredRuns}).
 */
public enum RunStatus {
    RUNNING,
    /** Every stage succeeded and every gate passed. */
    SUCCEEDED,
    /** A stage failed (its gates were not checked). */
    FAILED,
    /** Every stage succeeded but at least one gate did not pass: its models must not be approved. */
    FAILED_GATES
}
