package dev.candor.registry;

import java.time.Instant;

/**
 * One registered model version, for display and review.
 *
 * @param id             the model version id (what {@link Registry#approveModel} takes)
 * @param name           the model's name ({@code <pipeline>/<stage id>} when the engine registers it)
 * @param version        its number within {@code name}, from 1
 * @param runId          the run that produced it
 * @param stageId        the stage of that run that trained it
 * @param artifactSha256 sha256 of the model artifact
 * @param status         CANDIDATE, APPROVED or REJECTED ({@link ModelStatus})
 * @param createdAt      when it was registered
 */
public record ModelVersionView(String id, String name, int version, String runId, String stageId, String artifactSha256,
                               String status, Instant createdAt) {
}
