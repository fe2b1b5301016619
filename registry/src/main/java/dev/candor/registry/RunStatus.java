package dev.candor.registry;

/** The state of a run. A run is never left {@link #RUNNING} after its process ends: see {@link Registry#failAbandonedRuns}. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED
}
