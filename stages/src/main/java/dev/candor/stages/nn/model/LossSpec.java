package dev.candor.stages.nn.model;

import java.util.List;
import java.util.Locale;

/**
 * The training loss.
 *
 * <ul>
 *   <li>{@code CROSS_ENTROPY}: softmax cross-entropy on one-hot targets; with class weights the batch loss is
 *       {@code sum_i w[y_i] l_i / sum_i w[y_i]} (PyTorch's weighted mean).</li>
 *   <li>{@code BINARY_CROSS_ENTROPY}: sigmoid cross-entropy on one logit; class weights {@code [w0, w1]}.</li>
 *   <li>{@code MSE}: mean over batch and outputs of the squared error.</li>
 *   <li>{@code HINGE}: one-vs-rest hinge, {@code sum_k max(0, 1 - t_k z_k)} with {@code t = 2 onehot - 1},
 *       averaged (or class-weighted) over the batch.</li>
 * </ul>
 *
 * @param classWeights empty for none, else one weight per class (> 0)
 */
public record LossSpec(Kind kind, List<Double> classWeights) {
    /** The loss functions. */
    public enum Kind { CROSS_ENTROPY, BINARY_CROSS_ENTROPY, MSE, HINGE }

    public LossSpec {
        if (kind == null) throw new IllegalArgumentException("a loss needs a kind");
        classWeights = List.copyOf(classWeights);
        if (kind == Kind.MSE && !classWeights.isEmpty()) {
            throw new IllegalArgumentException("loss mse takes no class weights; remove class_weights or use cross-entropy");
        }
        if (kind == Kind.BINARY_CROSS_ENTROPY && !classWeights.isEmpty() && classWeights.size() != 2) {
            throw new IllegalArgumentException("binary-cross-entropy takes 2 class weights [negative, positive], got "
                    + classWeights);
        }
        for (double w : classWeights) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("class weights must be finite and > 0, got " + classWeights);
            }
        }
    }

    public static LossSpec of(Kind kind) {
        return new LossSpec(kind, List.of());
    }

    /** Reads {@code cross-entropy}, {@code binary-cross-entropy} ({@code bce}), {@code mse}, {@code hinge}. */
    public static LossSpec parse(String name, List<Double> classWeights) {
        Kind k = switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "cross-entropy", "ce", "softmax-cross-entropy", "categorical-cross-entropy" -> Kind.CROSS_ENTROPY;
            case "binary-cross-entropy", "bce" -> Kind.BINARY_CROSS_ENTROPY;
            case "mse", "mean-squared-error" -> Kind.MSE;
            case "hinge" -> Kind.HINGE;
            default -> throw new IllegalArgumentException("unknown loss '" + name
                    + "'; expected cross-entropy, binary-cross-entropy, mse or hinge");
        };
        return new LossSpec(k, classWeights);
    }
}
