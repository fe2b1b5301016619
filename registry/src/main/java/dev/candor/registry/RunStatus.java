package dev.candor.registry;

/** The state of a run. A run is never left {@link #RUNNING} after its process ends: see {@link Registry#failAbandonedRuns}. */
public enum RunStatus {
    RUNNING,
    /** Every stage succeeded and every gate passed. */
    SUCCEEDED,
    /** A stage failed (its gates were not checked). */
    FAILED,
    /** Every stage succeeded but at least one gate did not pass: its models must not be approved. */
    FAILED_GATES
}
