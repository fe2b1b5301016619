package dev.candor.registry;

/** Argument checks whose messages name the record and the field. */
final class Require {
    private Require() {
    }

    static String text(String value, String where) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(where + " is " + (value == null ? "null" : "blank") + "; expected a non-blank value");
        }
        return value;
    }

    static <T> T present(T value, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + " is null; expected a value");
        }
        return value;
    }

    static String sha256(String value, String where) {
        text(value, where);
        if (!value.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(where + " is '" + value + "'; expected 64 lowercase hex digits (a sha256)");
        }
        return value;
    }
}
