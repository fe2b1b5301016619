package dev.candor.registry;

/**
 * An artifact, for display.
 *
 * @param id        registry id
 * @param kind      DATASET, MODEL or EVALUATION
 * @param uri       where the content lives
 * @param sha256    content hash
 * @param sizeBytes content size
 */
public record ArtifactView(String id, String kind, String uri, String sha256, long sizeBytes) {
}
