package dev.candor.registry;

/** The state of one stage within a run. */
public enum StageStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Not run because a stage it depends on failed. */
    SKIPPED
}
