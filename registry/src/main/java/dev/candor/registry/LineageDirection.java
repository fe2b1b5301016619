package dev.candor.registry;

/** Whether a stage run read an artifact ({@link #IN}) or produced it ({@link #OUT}). */
public enum LineageDirection {
    IN,
    OUT
}
