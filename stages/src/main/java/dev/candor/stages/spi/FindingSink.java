package dev.candor.stages.spi;

/**
 * Where a stage reports what a reviewer must see that is not a number: a column that looks like a direct
 * identifier, a group too small to judge, a dataset below the declared k-anonymity. The engine stores findings in
 * the registry against the stage run and shows warnings in the run's report. Thread-safe.
 */
public interface FindingSink {

    /** How much a finding matters to the run's reviewer. */
    enum Severity { INFO, WARNING }

    /**
     * @param severity how much it matters
     * @param code     a stable machine name, such as {@code privacy.direct_identifier}
     * @param subject  what it is about (a column, a group, a split), or null for the whole stage
     * @param message  one sentence for a person: what was found and what to do about it
     */
    void report(Severity severity, String code, String subject, String message);

    default void warn(String code, String subject, String message) {
        report(Severity.WARNING, code, subject, message);
    }

    default void info(String code, String subject, String message) {
        report(Severity.INFO, code, subject, message);
    }
}
