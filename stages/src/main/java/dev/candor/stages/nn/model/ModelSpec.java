package dev.candor.stages.nn.model;

import java.util.List;

/**
 * Everything the compiler needs besides the data's shape: the hidden layers (the output layer follows from the
 * label and the loss), the loss, the optimizer, regularization and clipping.
 *
 * @param l1       coefficient of {@code l1 * sum |w|} over weight matrices and kernels (0 = off)
 * @param l2       coefficient of {@code l2 * sum w^2} over weight matrices and kernels (0 = off)
 * @param clipNorm gradients are scaled by {@code min(1, clipNorm / ||g||)} over all parameters (0 = off)
 */
public record ModelSpec(List<LayerSpec> layers, LossSpec loss, OptimizerSpec optimizer, double l1, double l2,
                        double clipNorm) {
    public ModelSpec {
        layers = List.copyOf(layers);
        if (loss == null) throw new IllegalArgumentException("a model needs a loss");
        if (optimizer == null) throw new IllegalArgumentException("a model needs an optimizer");
        if (!(l1 >= 0) || !(l2 >= 0)) throw new IllegalArgumentException("l1 and l2 must be >= 0, got " + l1 + ", " + l2);
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("clip_norm must be >= 0 (0 = off), got " + clipNorm);
    }

    public static ModelSpec of(List<LayerSpec> layers, LossSpec loss, OptimizerSpec optimizer) {
        return new ModelSpec(layers, loss, optimizer, 0, 0, 0);
    }

    public ModelSpec withRegularization(double newL1, double newL2) {
        return new ModelSpec(layers, loss, optimizer, newL1, newL2, clipNorm);
    }

    public ModelSpec withClipNorm(double c) {
        return new ModelSpec(layers, loss, optimizer, l1, l2, c);
    }

    public ModelSpec withOptimizer(OptimizerSpec o) {
        return new ModelSpec(layers, loss, o, l1, l2, clipNorm);
    }
}
