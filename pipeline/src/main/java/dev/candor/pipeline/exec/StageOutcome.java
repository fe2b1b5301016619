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
}
