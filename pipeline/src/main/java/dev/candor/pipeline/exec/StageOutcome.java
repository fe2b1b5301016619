package dev.candor.pipeline.exec;

/**
 * How one stage of a run ended.
 *
 * @param reason why it ran (or why it was skipped / failed): "first run of this stage", "its configuration changed",
 *               "cache hit"...
 */
public record StageOutcome(String stageId, String type, Status status, boolean cached, String reason, long durationMs,
                           String summary, String error, String artifactSha256) {
    public enum Status { SUCCEEDED, FAILED, SKIPPED }

    /** A stage that failed before it could say more than {@code error}. */
    static StageOutcome failed(String stageId, String type, String error) {
        return new StageOutcome(stageId, type, Status.FAILED, false, null, 0, "", error, null);
    }
}
