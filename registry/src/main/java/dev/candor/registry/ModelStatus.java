package dev.candor.registry;

/** The review state of a registered model version. */
public enum ModelStatus {
    CANDIDATE,
    APPROVED,
    REJECTED
}
