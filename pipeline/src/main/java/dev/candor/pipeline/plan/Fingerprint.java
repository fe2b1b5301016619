package dev.candor.pipeline.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.pipeline.store.ContentHash;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What decides whether a stage must run again: its type, its configuration as written (canonical JSON), its seed,
 * the content hashes of its input artifacts and data files, and the engine version. Equal fingerprints mean equal
 * work, so the recorded output can be reused.
 *
 * @param stageType  the stage type
 * @param configJson the canonical JSON of the stage's {@code with:} block
 * @param seed       the stage's derived seed
 * @param inputs     input stage id → artifact sha256, in the order the stage receives them
 * @param dataFiles  data file (as written, relative to the pipeline) → content sha256
 * @param engine     the engine version
 */
public record Fingerprint(String stageType, String configJson, long seed, Map<String, String> inputs,
                          SortedMap<String, String> dataFiles, String engine) {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public Fingerprint {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        dataFiles = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dataFiles));
    }

    /** The sha256 over every part. */
    public String hash() {
        return ContentHash.of(stageType + "\n" + configJson + "\n" + seed + "\n" + inputsJson());
    }

    /** Inputs, data files and engine as one JSON object: recorded with the stage run to explain later reruns. */
    public String inputsJson() {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode in = node.putObject("inputs");
        inputs.forEach(in::put);
        ObjectNode files = node.putObject("files");
        dataFiles.forEach(files::put);
        node.put("seed", seed);
        node.put("engine", engine);
        return node.toString();
    }

    /**
     * Why a stage with this fingerprint must run although an earlier run of it exists: the first difference found.
     *
     * @param previousConfigJson the earlier run's config JSON
     * @param previousInputsJson the earlier run's {@link #inputsJson()}
     */
    public String differenceFrom(String previousConfigJson, String previousInputsJson) {
        if (!configJson.equals(previousConfigJson)) return "its configuration changed";
        try {
            var prev = JSON.readTree(previousInputsJson == null ? "{}" : previousInputsJson);
            for (var e : inputs.entrySet()) {
                var old = prev.path("inputs").path(e.getKey());
                if (!old.asText().equals(e.getValue())) return "its input '" + e.getKey() + "' changed";
            }
            for (var e : dataFiles.entrySet()) {
                var old = prev.path("files").path(e.getKey());
                if (!old.asText().equals(e.getValue())) return "its data file " + e.getKey() + " changed";
            }
            if (prev.path("seed").asLong() != seed) return "the pipeline seed changed";
            if (!prev.path("engine").asText().equals(engine)) return "the engine version changed (" + prev.path("engine").asText() + " → " + engine + ")";
        } catch (java.io.IOException e) {
            return "its earlier record could not be compared";
        }
        return "its inputs changed";
    }
}
