package dev.candor.registry;

import java.time.Instant;

/**
 * One stage run, for display.
 *
 * @param id          the stage run id
 * @param stageId     the stage's id in the YAML
 * @param stageType   its type
 * @param position    its index in the plan
 * @param status      PENDING, RUNNING, SUCCEEDED, FAILED or SKIPPED
 * @param startedAt   when it started, or null (skipped)
 * @param durationMs  how long it took, or null (running, skipped)
 * @param cacheHit    whether it reused an earlier output
 * @param cacheReason why it ran or why it was reused, or null
 * @param reusedFrom  the stage run it reused, or null
 * @param fingerprint its fingerprint
 * @param summary     its summary line (for a skipped stage: why), or null
 * @param error       why it failed, or null
 * @param output      its output artifact, or null
 */
public record StageRunView(String id, String stageId, String stageType, int position, String status, Instant startedAt,
                           Long durationMs, boolean cacheHit, String cacheReason, String reusedFrom, String fingerprint,
                           String summary, String error, ArtifactView output) {
}
