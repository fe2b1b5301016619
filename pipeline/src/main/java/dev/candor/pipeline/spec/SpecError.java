package dev.candor.pipeline.spec;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/**
 * One mistake in a pipeline file, with its place and how to fix it. {@link #toString()} is the one-line form
 * editors and terminals understand: {@code file:line:col: what is wrong — how to fix it}.
 *
 * @param file    the pipeline file
 * @param line    1-based line
 * @param column  1-based column
 * @param message what is wrong, naming what was found and what was expected
 * @param fix     how to fix it; empty when the message already says it all
 */
public record SpecError(Path file, int line, int column, String message, String fix) {

    /** File order: by line, then column, then message (so the order never depends on the validator's order). */
    public static final Comparator<SpecError> BY_PLACE = Comparator.comparingInt(SpecError::line)
            .thenComparingInt(SpecError::column)
            .thenComparing(SpecError::message);

    public SpecError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
    }

    public SpecError(Path file, Position position, String message, String fix) {
        this(file, position.line(), position.column(), message, fix);
    }

    public Position position() {
        return new Position(line, column);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message + (fix.isEmpty() ? "" : " — " + fix);
    }
}
