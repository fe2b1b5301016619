package dev.candor.registry;

/**
 * One finding of a run, for display.
 *
 * @param stageId    the stage that reported it (for a cached stage: the stage of this run, which carries a copy)
 * @param stageRunId the stage run of this run it belongs to
 * @param severity   {@code WARNING} or {@code INFO}
 * @param code       a stable machine name, such as {@code privacy.direct_identifier}
 * @param subject    what it is about, or null for the whole stage
 * @param message    one sentence for a person
 */
public record FindingView(String stageId, String stageRunId, String severity, String code, String subject, String message) {
}
