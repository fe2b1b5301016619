package dev.candor.stages.data;

/** What a column is for. */
public enum ColumnRole {
    /** An input to models. */
    FEATURE,
    /** The target. Exactly one per dataset. */
    LABEL,
    /** A row identifier: kept for traceability, never a feature. */
    ID,
    /** A protected attribute (sex, age, ...): kept for fairness analysis; a feature only if the pipeline says so. */
    PROTECTED,
    /**
     * A per-row example weight (written by a reweighing stage): trainers multiply the row's loss by it; never a
     * feature. At most one per dataset; absent means every row weighs 1.
     */
    WEIGHT,
    /** Carried along, never used. */
    IGNORED
}
