package dev.candor.stages.nn.compile;

/** The names of the compiled graphs' inputs and outputs, the contract between compiler and trainer. */
public final class GraphNames {
    /** Input: the batch features, [N, input size] (images flattened row-major, reshaped inside the graph). */
    public static final String X = "x";
    /** Input: the batch targets, [N, outputs] (one-hot classes, 0/1 for binary, values for MSE). */
    public static final String Y = "y";
    /**
     * Input (graphs compiled with example weights or DP-SGD): each row's weight, [N, 1]; the data loss is
     * sum(w_i l_i) / sum(w_i).
     */
    public static final String WEIGHTS = "weights";
    /** Output (DP-SGD graphs): each example's gradient norm after clipping, [N, 1]. */
    public static final String CLIPPED_NORMS = "clipped_norms";
    /** Input: this step's learning rate, a scalar. */
    public static final String LR = "lr";
    /** Input: the 1-based step number, a scalar. */
    public static final String STEP = "step";
    /** Output: the data loss of the batch (without regularization), a scalar. */
    public static final String LOSS = "loss";
    /** Output: the objective minimized, data loss plus L1/L2 penalties, a scalar. */
    public static final String OBJECTIVE = "objective";
    /** Output: the batch predictions, [N, outputs]: probabilities, or values for MSE. */
    public static final String PREDICTIONS = "predictions";
    /** Inference graph input, [N, input size]. */
    public static final String INFER_INPUT = "input";
    /** Inference graph output: class probabilities [N, classes] (values for MSE). */
    public static final String PROBABILITIES = "probabilities";

    private GraphNames() {
    }

    /** The train-step output holding the new value of input {@code name}. */
    public static String next(String name) {
        return name + ".next";
    }

    /** The gradient output of parameter {@code name} (graphs compiled with gradients exposed). */
    public static String grad(String name) {
        return name + ".grad";
    }

    /** The optimizer-state input of a parameter. */
    public static String state(String param, String stateName) {
        return param + "." + stateName;
    }

    /** The DP-SGD noise input of parameter {@code name}: N(0, σ²C²) per value, drawn by the trainer. */
    public static String noise(String name) {
        return name + ".noise";
    }

    /** The dropout-mask input of a layer. */
    public static String mask(String layer) {
        return layer + ".mask";
    }
}
