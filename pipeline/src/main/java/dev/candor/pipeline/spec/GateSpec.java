package dev.candor.pipeline.spec;

import java.util.Objects;

/**
 * One release gate as written, such as {@code eval.roc_auc >= 0.9}. Version 1 of the format only checks that a gate
 * is a string; parsing and evaluating the expression belongs to the gate evaluator.
 *
 * @param expression the text of the gate
 * @param position   where it is written, for errors about it
 */
public record GateSpec(String expression, Position position) {
    public GateSpec {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(position, "position");
    }
}
