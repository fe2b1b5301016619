package dev.candor.pipeline.gate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one gate came out.
 *
 * @param expression the gate as written
 * @param passed     whether it held; false when a result it names is missing
 * @param values     each result it names → its value, or null when missing; in the order written
 * @param detail     one line: each comparison with its numbers, or which results were missing and what was recorded
 */
public record GateOutcome(String expression, boolean passed, Map<String, Double> values, String detail) {
    public GateOutcome {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
