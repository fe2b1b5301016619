package dev.candor.stages.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * An artifact handed to a stage: read-only, already in the store.
 *
 * @param producer the id of the stage that wrote it
 * @param kind     its kind
 * @param path     the artifact directory (read only)
 * @param sha256   the content hash of the directory
 * @param metadata the producer's {@link StageOutput#metadata()}
 */
public record InputArtifact(String producer, ArtifactKind kind, Path path, String sha256, Map<String, String> metadata) {
    public InputArtifact {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
