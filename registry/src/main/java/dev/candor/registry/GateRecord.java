package dev.candor.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one release gate came out, as the engine records it.
 *
 * @param position   the gate's index in the pipeline's {@code gates:} list, from 0
 * @param expression the gate as written, such as {@code eval.roc_auc >= 0.9}
 * @param passed     whether it held
 * @param values     each result it names ({@code <stage id>.<name>}) → the value it was decided on, or null when the
 *                   stage did not record that result (the gate then fails); in the order the expression names them
 * @param detail     one line for a person: the comparison with the numbers, or which result was missing and what the
 *                   stage recorded instead
 */
public record GateRecord(int position, String expression, boolean passed, Map<String, Double> values, String detail) {
    public GateRecord {
        if (position < 0) {
            throw new IllegalArgumentException("GateRecord.position is " + position + "; expected 0 or more");
        }
        Require.text(expression, "GateRecord.expression");
        // A copy that keeps order and allows null (a missing result), unlike Map.copyOf.
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Require.present(values, "GateRecord.values")));
        detail = detail == null ? "" : detail;
    }
}
