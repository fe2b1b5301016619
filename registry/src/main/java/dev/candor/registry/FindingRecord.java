package dev.candor.registry;

import java.util.List;

/**
 * A finding a stage reported, as the engine records it with the stage run.
 *
 * @param severity {@code WARNING} or {@code INFO}
 * @param code     a stable machine name, such as {@code privacy.direct_identifier}
 * @param subject  what it is about (a column, a group), or null for the whole stage
 * @param message  one sentence for a person
 */
public record FindingRecord(String severity, String code, String subject, String message) {
    /** The severities, most important first. */
    public static final List<String> SEVERITIES = List.of("WARNING", "INFO");

    public FindingRecord {
        Require.text(severity, "FindingRecord.severity");
        if (!SEVERITIES.contains(severity)) {
            throw new IllegalArgumentException("FindingRecord.severity is '" + severity + "'; expected one of " + SEVERITIES);
        }
        Require.text(code, "FindingRecord.code");
        Require.text(message, "FindingRecord.message");
    }
}
