package dev.candor.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Artifact metadata (keys sorted, so the same metadata is always the same text) and gate values to and from JSON. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private static final TypeReference<LinkedHashMap<String, Double>> VALUES = new TypeReference<>() {
    };

    private Json() {
    }

    static String write(Map<String, String> map) {
        try {
            return MAPPER.writeValueAsString(new TreeMap<>(map));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write artifact metadata as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Gate values: a JSON object of numbers, null for a missing result; insertion order kept. */
    static String writeValues(Map<String, Double> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write gate values as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Double> readValues(String json, String where) {
        try {
            return MAPPER.readValue(json, VALUES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(where + " holds '" + json + "', which is not a JSON object of numbers: "
                    + e.getOriginalMessage(), e);
        }
    }

    static Map<String, String> readStringMap(String json, String where) {
        try {
            return MAPPER.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(where + " holds '" + json + "', which is not a JSON object of strings: "
                    + e.getOriginalMessage(), e);
        }
    }
}
