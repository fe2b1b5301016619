package dev.candor.pipeline.spec;

import java.util.Objects;

/**
 * One release gate as written, such as {@code eval.roc_auc >= 0.9}. The loader has parsed it
 * ({@link dev.candor.pipeline.gate.GateParser}) and checked every result it names against the stages' declared
 * results; the executor decides it at the end of a run.
 *
 * @param expression the text of the gate
 * @param position   where its text starts (after the opening quote of a quoted string), for errors about it
 */
public record GateSpec(String expression, Position position) {
    public GateSpec {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(position, "position");
    }
}
