package dev.candor.stages.data;

/** What ingestion does with an empty field. */
public enum MissingPolicy {
    /** Fail with a DataException naming each row and column. */
    ERROR,
    /** Drop the row (counted in the statistics). */
    DROP,
    /** Replace a missing number by the column mean over the training split. */
    IMPUTE_MEAN,
    /** Replace a missing value by the column's most frequent value over the training split. */
    IMPUTE_MODE
}
