package dev.candor.explain.shap;

import java.util.List;

/**
 * LinearSHAP: the closed-form Shapley values of a linear model's margin under the interventional value function with
 * independent features (Lundberg &amp; Lee 2017, Corollary 1): {@code φ_i = w_i (x_i − E[x_i])}, the base value is
 * {@code b + w·E[x]} and the values add up to the margin {@code b + w·x}.
 *
 * <p>For a logistic (or multinomial logistic) model the values live in <b>log-odds</b> space, the margin before the
 * sigmoid or softmax, and the result says so ({@link ShapValues.OutputSpace#LOG_ODDS}); probabilities are not
 * additive in the features, so no closed form exists there (use {@link KernelShap} for probability-space values).
 * A player that groups columns gets the sum of its columns' terms.
 *
 * <p>Immutable, thread-safe, makes no model calls.
 */
public final class LinearShap {
    private final List<String> outputNames;
    private final double[][] weights;
    private final double[] intercepts;
    private final double[] means;
    private final Players players;

    /**
     * @param outputNames one name per margin (e.g. {@code ["log-odds"]} for a binary logistic model, the class
     *                    names for a multinomial one)
     * @param weights     {@code weights[k][j]}: the coefficient of column {@code j} in margin {@code k}
     * @param intercepts  one intercept per margin
     * @param means       the expected value of each column (e.g. {@link Background#columnMeans()})
     * @param players     how columns form players
     */
    public LinearShap(List<String> outputNames, double[][] weights, double[] intercepts, double[] means,
                      Players players) {
        this.outputNames = List.copyOf(outputNames);
        if (weights.length != outputNames.size() || intercepts.length != outputNames.size()) {
            throw new IllegalArgumentException(outputNames.size() + " margins need as many weight rows and"
                    + " intercepts, got " + weights.length + " and " + intercepts.length);
        }
        this.weights = new double[weights.length][];
        for (int k = 0; k < weights.length; k++) {
            if (weights[k].length != means.length) {
                throw new IllegalArgumentException("margin '" + outputNames.get(k) + "' has " + weights[k].length
                        + " coefficients but " + means.length + " column means were given; give one mean per column");
            }
            this.weights[k] = weights[k].clone();
        }
        this.intercepts = intercepts.clone();
        this.means = means.clone();
        players.checkWidth(means.length);
        this.players = players;
    }

    /** A binary logistic model {@code σ(b + w·x)}, explained in log-odds. */
    public static LinearShap logistic(double[] weights, double intercept, double[] means, Players players) {
        return new LinearShap(List.of("log-odds"), new double[][] {weights}, new double[] {intercept}, means, players);
    }

    /** The values of row {@code x}, in log-odds (margin) space. */
    public ShapValues explain(float[] x) {
        if (x.length != means.length) {
            throw new IllegalArgumentException("the row has " + x.length + " values, the model takes " + means.length);
        }
        int m = players.size();
        double[][] values = new double[weights.length][m];
        double[] base = new double[weights.length];
        double[] margin = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            base[k] = intercepts[k];
            margin[k] = intercepts[k];
            for (int j = 0; j < means.length; j++) {
                base[k] += weights[k][j] * means[j];
                margin[k] += weights[k][j] * x[j];
            }
            for (int p = 0; p < m; p++) {
                for (int j : players.columnsRaw(p)) values[k][p] += weights[k][j] * (x[j] - means[j]);
            }
        }
        return new ShapValues(outputNames, players.names(), values, base, margin, ShapValues.Method.LINEAR,
                ShapValues.OutputSpace.LOG_ODDS, 0);
    }
}
