package dev.candor.stages.spi;

/** What a stage reads and writes. Every artifact is a directory in the content-addressed store. */
public enum ArtifactKind {
    /** A split, schema-carrying table: {@code schema.json}, {@code statistics.json} and one Avro file per split. */
    DATASET,
    /** A trained model: {@code model.onnx}, whose {@code metadata_props} explain it (features, labels, preprocessing). */
    MODEL,
    /** The full detail of an evaluation: {@code evaluation.json}; its headline numbers also go to the registry. */
    EVALUATION,
    /**
     * Explanations of a model's decisions: {@code explanations.json} (per-row values and the global summary); the
     * summary and a sample of rows also go to the registry.
     */
    EXPLANATION;

    /** The lower-case name used in messages and in the JSON Schema. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
