package dev.candor.stages.nn.compile;

/** Which graph a forward pass is emitted into. */
public enum Mode {
    /** The train step: dropout active, batch norm on batch statistics (and running statistics updated). */
    TRAIN,
    /** Validation: dropout off, batch norm on running statistics; loss but no update. */
    EVAL,
    /** The exported model: like EVAL, with parameters baked in as initializers. */
    INFER
}
