package dev.candor.registry;

/**
 * A lineage edge between two stages of one run: {@code stageId} read an artifact that {@code inputStageId} produced
 * (or reused from the cache) in the same run. It is how a reviewer's view ties an evaluation, an explanation or a
 * privacy audit to the model it examined.
 *
 * @param stageId      the reading stage
 * @param inputStageId the stage of the same run that produced what it read
 * @param artifactKind the kind of that artifact: DATASET, MODEL or EVALUATION
 */
public record StageLink(String stageId, String inputStageId, String artifactKind) {
}
