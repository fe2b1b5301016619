package dev.candor.registry.entity;

/** Column sizes shared by the entities; they match {@code db/migration/V*.sql}. */
final class Columns {
    /** VARCHAR(1000000): YAML texts, JSON, stack traces. One portable type for H2 and PostgreSQL (no CLOB/TEXT). */
    static final int LARGE_TEXT = 1_000_000;

    private Columns() {
    }
}
