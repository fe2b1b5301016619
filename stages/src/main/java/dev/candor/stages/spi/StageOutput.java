package dev.candor.stages.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a stage reports when it finishes, beside the files it wrote.
 *
 * @param summary  one line for the CLI ("569 rows: 398 train, 57 validation, 114 test")
 * @param metadata small key/value facts recorded with the output artifact (row counts, label names, model type)
 */
public record StageOutput(String summary, Map<String, String> metadata) {
    public StageOutput {
        summary = summary == null ? "" : summary;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    public static StageOutput of(String summary) {
        return new StageOutput(summary, Map.of());
    }
}
