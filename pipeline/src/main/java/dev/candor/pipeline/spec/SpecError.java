package dev.candor.pipeline.spec;

import dev.candor.stages.spi.Excerpt;
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

    /**
     * The most characters of a message, and of a fix, an error shows: messages quote values from the file, and a
     * value may be a 100,000-character line.
     */
    public static final int MAX_CHARS = 2_000;

    /**
     * Message and fix are kept to one line of bounded length whatever they quote from the file: control characters,
     * line breaks and Unicode line separators are shown escaped ({@link Excerpt}), so that a value holding one can
     * neither split the {@code file:line:col} line nor send escape sequences to a terminal.
     */
    public SpecError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        message = Excerpt.of(message, MAX_CHARS);
        fix = fix == null ? "" : Excerpt.of(fix, MAX_CHARS);
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
