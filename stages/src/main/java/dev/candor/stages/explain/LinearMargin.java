package dev.candor.stages.explain;

import dev.candor.explain.Predictor;
import java.util.List;
import java.util.Optional;

/**
 * A model whose log-odds for one class is linear in its encoded input (a logistic regression, however its graph is
 * written): {@code log(p / (1 − p)) = intercept + weights · x}. Found by probing the model itself rather than by
 * reading its graph, so any exporter's layout works: the weights come from unit steps away from the origin, and the
 * form is accepted only when it reproduces the model's log-odds on real rows.
 *
 * @param weights   one coefficient per encoded feature
 * @param intercept the log-odds at the origin
 */
record LinearMargin(double[] weights, double intercept) {
    /** Log-odds agreement required on each checked row: float probabilities, read back through a logit. */
    static final double TOLERANCE = 1e-3;
    /** Probabilities closer than this to 0 or 1 carry too few digits for their logit to be checked. */
    private static final double SATURATED = 1e-5;

    LinearMargin {
        weights = weights.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /**
     * The linear log-odds of output {@code k} of {@code model}, when it has one.
     *
     * @param width the encoded input width
     * @param check real rows the form must reproduce (at least one not saturated)
     * @return empty when the model is not linear in log-odds on these rows
     */
    static Optional<LinearMargin> probe(Predictor model, int width, int k, List<float[]> check) {
        float[][] steps = new float[width + 1][width];
        for (int j = 0; j < width; j++) steps[j + 1][j] = 1f;
        float[][] p = model.predict(steps);
        double origin = logit(p[0][k]);
        if (!Double.isFinite(origin)) return Optional.empty();
        double[] w = new double[width];
        for (int j = 0; j < width; j++) {
            w[j] = logit(p[j + 1][k]) - origin;
            if (!Double.isFinite(w[j])) return Optional.empty();
        }
        float[][] q = model.predict(check.toArray(float[][]::new));
        int checked = 0;
        for (int i = 0; i < q.length; i++) {
            double pk = q[i][k];
            if (pk < SATURATED || pk > 1 - SATURATED) continue;
            double margin = origin;
            float[] x = check.get(i);
            for (int j = 0; j < width; j++) margin += w[j] * x[j];
            double actual = logit(pk);
            if (Math.abs(margin - actual) > TOLERANCE * (1 + Math.abs(actual))) return Optional.empty();
            checked++;
        }
        return checked == 0 ? Optional.empty() : Optional.of(new LinearMargin(w, origin));
    }

    private static double logit(double p) {
        return Math.log(p) - Math.log1p(-p);
    }
}
