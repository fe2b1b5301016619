package dev.candor.dashboard;

import dev.candor.registry.RegistryLimits;

/**
 * How an answer repeats a value from the request (an id that names nothing, say): quoted, and cut when it is longer
 * than any id can be, so an answer stays small whatever was sent. Pages escape it like any text; the log goes through
 * {@link LogSafe}.
 */
final class Echo {
    private Echo() {
    }

    /** {@code 'id'}, or its first {@link InputLimits#ID} characters and its length. */
    static String id(String id) {
        return id == null ? "(none)" : id.length() <= RegistryLimits.ID ? "'" + id + "'"
                : "'" + id.substring(0, RegistryLimits.ID) + "…' (" + id.length() + " characters; ids have at most "
                + RegistryLimits.ID + ")";
    }
}
