package dev.candor.pipeline.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A pipeline file that cannot be loaded, with every mistake found in it (not just the first), sorted by place.
 * The message is the errors, one per line.
 */
public class SpecException extends Exception {
    private final List<SpecError> errors;

    public SpecException(List<SpecError> errors) {
        super(render(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one error");
        }
        this.errors = errors.stream().sorted(SpecError.BY_PLACE).toList();
    }

    /** The errors, by line and column. */
    public List<SpecError> errors() {
        return errors;
    }

    private static String render(List<SpecError> errors) {
        return errors.stream().sorted(SpecError.BY_PLACE).map(SpecError::toString).collect(Collectors.joining("\n"));
    }
}
