package dev.candor.registry;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One gate of a run, for display.
 *
 * @param position    its index in the pipeline's {@code gates:} list, from 0
 * @param expression  the gate as written
 * @param passed      whether it held
 * @param values      each result it names → the value it was decided on, or null when the result was missing
 * @param detail      one line: the comparison with the numbers, or what was missing
 * @param evaluatedAt when it was checked
 */
public record GateResultView(int position, String expression, boolean passed, Map<String, Double> values, String detail,
                             Instant evaluatedAt) {
    public GateResultView {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
