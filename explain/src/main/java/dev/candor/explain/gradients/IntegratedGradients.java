package dev.candor.explain.gradients;

import java.util.Locale;

/**
 * Integrated Gradients (Sundararajan, Taly &amp; Yan 2017, "Axiomatic Attribution for Deep Networks", ICML): the
 * attribution of feature {@code j} is {@code (x_j − x'_j) · ∫₀¹ ∂f/∂x_j (x' + α (x − x')) dα} for a baseline
 * {@code x'}; by the fundamental theorem of calculus the attributions add up to {@code f(x) − f(x')}
 * (completeness), up to the error of the quadrature.
 *
 * <p>The integral is a quadrature over {@code steps} intervals of the straight path, evaluated in batches:
 * <ul>
 *   <li>{@link Rule#TRAPEZOID}: {@code steps + 1} points, ends weighted ½ — error O(1/steps²) where the gradient
 *       is smooth along the path;</li>
 *   <li>{@link Rule#RIEMANN_MIDPOINT}: {@code steps} midpoints — also O(1/steps²) on smooth stretches;</li>
 *   <li>{@link Rule#RIEMANN_LEFT}, {@link Rule#RIEMANN_RIGHT}: the paper's left/right sums — O(1/steps).</li>
 * </ul>
 * For a ReLU network the gradient jumps where the path crosses a unit's kink, and each crossing adds an error of at
 * most (jump × interval width) whatever the rule, so the completeness gap shrinks as O(1/steps) in the worst case;
 * {@link Attribution#completenessGap} reports it when the caller knows f. Pure and deterministic.
 */
public final class IntegratedGradients {

    /** The quadrature rule along the path. */
    public enum Rule {
        RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDPOINT, TRAPEZOID;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Settings.
     *
     * @param steps     intervals of the path (&gt;= 1)
     * @param rule      the quadrature rule
     * @param batchRows path points per gradient call (&gt;= 1)
     */
    public record Options(int steps, Rule rule, int batchRows) {
        public Options {
            if (steps < 1) throw new IllegalArgumentException("Integrated Gradients needs steps >= 1, got " + steps);
            if (rule == null) throw new IllegalArgumentException("rule must be given (trapezoid is the usual choice)");
            if (batchRows < 1) throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        }

        /** 64 steps, trapezoid, 1024 points per call. */
        public static Options defaults() {
            return new Options(64, Rule.TRAPEZOID, 1024);
        }

        public Options withSteps(int v) {
            return new Options(v, rule, batchRows);
        }

        public Options withRule(Rule v) {
            return new Options(steps, v, batchRows);
        }
    }

    /**
     * The attributions of one row.
     *
     * @param values      one attribution per feature
     * @param classIndex  the output explained
     * @param steps       the quadrature's intervals
     * @param evaluations gradient rows computed
     */
    public record Attribution(double[] values, int classIndex, int steps, int evaluations) {
        public Attribution {
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        /** The sum of the attributions. */
        public double sum() {
            double s = 0;
            for (double v : values) s += v;
            return s;
        }

        /** |Σ attributions − (f(x) − f(baseline))|: the completeness axiom's gap, from the caller's f values. */
        public double completenessGap(double fx, double fBaseline) {
            return Math.abs(sum() - (fx - fBaseline));
        }
    }

    private final Gradient model;
    private final Options options;

    public IntegratedGradients(Gradient model, Options options) {
        this.model = model;
        this.options = options;
    }

    /** Attributes output {@code classIndex} at {@code x} relative to {@code baseline}. */
    public Attribution explain(double[] x, double[] baseline, int classIndex) {
        if (x.length != baseline.length) {
            throw new IllegalArgumentException("the row has " + x.length + " features but the baseline has "
                    + baseline.length + "; give a baseline of the model's input width");
        }
        int m = options.steps();
        int points = options.rule() == Rule.TRAPEZOID ? m + 1 : m;
        double[] alpha = new double[points];
        double[] weight = new double[points];
        for (int i = 0; i < points; i++) {
            switch (options.rule()) {
                case RIEMANN_LEFT -> alpha[i] = (double) i / m;
                case RIEMANN_RIGHT -> alpha[i] = (double) (i + 1) / m;
                case RIEMANN_MIDPOINT -> alpha[i] = (i + 0.5) / m;
                case TRAPEZOID -> alpha[i] = (double) i / m;
            }
            weight[i] = options.rule() == Rule.TRAPEZOID && (i == 0 || i == m) ? 0.5 / m : 1.0 / m;
        }
        int width = x.length;
        double[] integral = new double[width];
        for (int start = 0; start < points; start += options.batchRows()) {
            int rows = Math.min(options.batchRows(), points - start);
            double[][] batch = new double[rows][width];
            for (int r = 0; r < rows; r++) {
                double a = alpha[start + r];
                for (int j = 0; j < width; j++) batch[r][j] = baseline[j] + a * (x[j] - baseline[j]);
            }
            double[][] grads = model.gradient(batch, classIndex);
            if (grads.length != rows) {
                throw new IllegalStateException("the gradient function returned " + grads.length + " rows for "
                        + rows);
            }
            for (int r = 0; r < rows; r++) {
                if (grads[r].length != width) {
                    throw new IllegalStateException("the gradient function returned " + grads[r].length
                            + " values for a row of " + width);
                }
                for (int j = 0; j < width; j++) integral[j] += weight[start + r] * grads[r][j];
            }
        }
        double[] values = new double[width];
        for (int j = 0; j < width; j++) values[j] = (x[j] - baseline[j]) * integral[j];
        return new Attribution(values, classIndex, m, points);
    }

    /**
     * Saliency (Simonyan, Vedaldi &amp; Zisserman 2014): the gradient of output {@code classIndex} at each row, and
     * its element-wise product with the row (gradient × input) when {@code timesInput}.
     */
    public static double[][] saliency(Gradient model, double[][] rows, int classIndex, boolean timesInput) {
        double[][] g = model.gradient(rows, classIndex);
        if (!timesInput) return g;
        double[][] out = new double[g.length][];
        for (int i = 0; i < g.length; i++) {
            out[i] = new double[g[i].length];
            for (int j = 0; j < g[i].length; j++) out[i][j] = g[i][j] * rows[i][j];
        }
        return out;
    }
}
