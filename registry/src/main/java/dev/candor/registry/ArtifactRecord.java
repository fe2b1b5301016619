package dev.candor.registry;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An artifact as the engine hands it to the registry and gets it back.
 *
 * @param id        the registry id; null for an artifact not registered yet
 * @param kind      DATASET, MODEL or EVALUATION (the stage SPI's {@code ArtifactKind} name)
 * @param uri       where the content lives
 * @param sha256    the content hash, lowercase hex
 * @param sizeBytes the content size
 * @param metadata  small key/value facts (row counts, label names); kept sorted by key
 */
public record ArtifactRecord(String id, String kind, String uri, String sha256, long sizeBytes, Map<String, String> metadata) {
    public ArtifactRecord {
        Require.text(kind, "ArtifactRecord.kind");
        Require.text(uri, "ArtifactRecord.uri");
        Require.sha256(sha256, "ArtifactRecord.sha256 of " + uri);
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("ArtifactRecord.sizeBytes of " + uri + " is " + sizeBytes + "; expected >= 0");
        }
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** The same artifact with its registry id. */
    public ArtifactRecord withId(String registryId) {
        return new ArtifactRecord(registryId, kind, uri, sha256, sizeBytes, metadata);
    }
}
