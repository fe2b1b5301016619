package dev.candor.stages.nn.model;

import java.util.Locale;

/**
 * An optimizer and its hyperparameters, with PyTorch's update rules (so results compare with it):
 * with {@code g' = g + weight_decay * p} for all but AdamW,
 * <ul>
 *   <li>SGD: {@code p -= lr g'}</li>
 *   <li>momentum: {@code v = mu v + g'; p -= lr v}; Nesterov: {@code v = mu v + g'; p -= lr (g' + mu v)}</li>
 *   <li>Adam (Kingma &amp; Ba 2015): {@code m = b1 m + (1-b1) g'; v = b2 v + (1-b2) g'^2;
 *       p -= lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)}</li>
 *   <li>AdamW (Loshchilov &amp; Hutter 2019): {@code p -= lr weight_decay p}, then Adam on {@code g}</li>
 *   <li>RMSprop: {@code s = rho s + (1-rho) g'^2; p -= lr g' / (sqrt(s) + eps)}</li>
 *   <li>Adagrad: {@code s += g'^2; p -= lr g' / (sqrt(s) + eps)}</li>
 * </ul>
 * Weight decay applies to weight matrices and kernels, not to biases or batch-norm parameters.
 */
public record OptimizerSpec(Kind kind, double lr, double weightDecay, double momentum, double beta1, double beta2,
                            double rho, double eps) {
    /** The update rules. */
    public enum Kind { SGD, MOMENTUM, NESTEROV, ADAM, ADAMW, RMSPROP, ADAGRAD }

    public OptimizerSpec {
        if (kind == null) throw new IllegalArgumentException("an optimizer needs a name");
        check(lr > 0 && Double.isFinite(lr), "lr must be > 0", lr);
        check(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay must be >= 0", weightDecay);
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1)", momentum);
        check(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1)", beta1);
        check(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1)", beta2);
        check(rho >= 0 && rho < 1, "rho must be in [0, 1)", rho);
        check(eps > 0, "eps must be > 0", eps);
    }

    private static void check(boolean ok, String what, double got) {
        if (!ok) throw new IllegalArgumentException("optimizer " + what + ", got " + got);
    }

    /** The optimizer with its usual defaults (PyTorch's; momentum 0.9 for momentum and Nesterov). */
    public static OptimizerSpec defaults(Kind kind, double lr) {
        double eps = kind == Kind.ADAGRAD ? 1e-10 : kind == Kind.RMSPROP ? 1e-8 : 1e-8;
        return new OptimizerSpec(kind, lr, 0, 0.9, 0.9, 0.999, 0.99, eps);
    }

    /** Reads an optimizer name: sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad. */
    public static Kind kindOf(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "sgd" -> Kind.SGD;
            case "momentum" -> Kind.MOMENTUM;
            case "nesterov" -> Kind.NESTEROV;
            case "adam" -> Kind.ADAM;
            case "adamw" -> Kind.ADAMW;
            case "rmsprop" -> Kind.RMSPROP;
            case "adagrad" -> Kind.ADAGRAD;
            default -> throw new IllegalArgumentException("unknown optimizer '" + name
                    + "'; expected sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad");
        };
    }

    public OptimizerSpec withWeightDecay(double wd) {
        return new OptimizerSpec(kind, lr, wd, momentum, beta1, beta2, rho, eps);
    }

    /** The names of the per-parameter state tensors this rule keeps, in a fixed order. */
    public java.util.List<String> stateNames() {
        return switch (kind) {
            case SGD -> java.util.List.of();
            case MOMENTUM, NESTEROV -> java.util.List.of("velocity");
            case ADAM, ADAMW -> java.util.List.of("m", "v");
            case RMSPROP, ADAGRAD -> java.util.List.of("sq");
        };
    }
}
