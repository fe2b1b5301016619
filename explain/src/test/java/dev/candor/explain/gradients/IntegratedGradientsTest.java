package dev.candor.explain.gradients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Integrated Gradients against closed forms: a linear model (exact) and a logistic model (quadrature error). */
class IntegratedGradientsTest {
    private static final double[] W = {1.5, -2.0, 0.5, 0.0};

    /** f(x) = sigmoid(w·x), with its exact gradient. */
    private static double f(double[] x) {
        double z = 0;
        for (int j = 0; j < x.length; j++) z += W[j] * x[j];
        return 1 / (1 + Math.exp(-z));
    }

    private static final Gradient LOGISTIC = (rows, k) -> {
        double[][] g = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double p = f(rows[i]);
            g[i] = new double[W.length];
            for (int j = 0; j < W.length; j++) g[i][j] = p * (1 - p) * W[j];
        }
        return g;
    };

    @Test
    void onALinearModelAttributionsAreWeightTimesDisplacementForEveryRule() {
        Gradient linear = (rows, k) -> {
            double[][] g = new double[rows.length][];
            for (int i = 0; i < rows.length; i++) g[i] = W.clone();
            return g;
        };
        double[] x = {1, 2, -1, 3};
        double[] base = {0.5, 0, 0, 1};
        for (IntegratedGradients.Rule rule : IntegratedGradients.Rule.values()) {
            double[] a = new IntegratedGradients(linear, IntegratedGradients.Options.defaults().withSteps(3)
                    .withRule(rule)).explain(x, base, 0).values();
            for (int j = 0; j < 4; j++) assertThat(a[j]).as("%s feature %d", rule, j).isCloseTo(W[j] * (x[j] - base[j]), within(1e-12));
        }
    }

    @Test
    void completenessGapShrinksAsTheRuleOrderSays() {
        double[] x = {2, -1.5, 1, 7};
        double[] base = new double[4];
        double exact = f(x) - f(base);
        double trap16 = gap(IntegratedGradients.Rule.TRAPEZOID, 16, x, base, exact);
        double trap64 = gap(IntegratedGradients.Rule.TRAPEZOID, 64, x, base, exact);
        double left16 = gap(IntegratedGradients.Rule.RIEMANN_LEFT, 16, x, base, exact);
        double left64 = gap(IntegratedGradients.Rule.RIEMANN_LEFT, 64, x, base, exact);
        // second order: 4x the steps, ~16x smaller; first order: ~4x smaller
        assertThat(trap16 / trap64).isBetween(12.0, 20.0);
        assertThat(left16 / left64).isBetween(3.0, 5.0);
        assertThat(trap64).isLessThan(1e-4);
        // the feature with weight 0 gets nothing (dummy axiom)
        double[] a = new IntegratedGradients(LOGISTIC, IntegratedGradients.Options.defaults()).explain(x, base, 0).values();
        assertThat(a[3]).isZero();
    }

    private static double gap(IntegratedGradients.Rule rule, int steps, double[] x, double[] base, double exact) {
        IntegratedGradients.Attribution a = new IntegratedGradients(LOGISTIC, new IntegratedGradients.Options(steps, rule,
                5)).explain(x, base, 0);
        return a.completenessGap(f(x), f(base));
    }

    @Test
    void badInputsAreRefused() {
        assertThatThrownBy(() -> IntegratedGradients.Options.defaults().withSteps(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps >= 1");
        assertThatThrownBy(() -> new IntegratedGradients(LOGISTIC, IntegratedGradients.Options.defaults())
                .explain(new double[4], new double[3], 0)).hasMessageContaining("baseline");
    }
}
