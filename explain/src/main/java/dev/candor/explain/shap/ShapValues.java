package dev.candor.explain.shap;

import java.util.List;

/**
 * One explanation: for each model output (class) and each player, its Shapley value, with the base value and the
 * model output they add up to: {@code base(k) + Σ_p value(k, p) = prediction(k)} (efficiency).
 *
 * @param classNames       the model outputs explained, in order
 * @param playerNames      the players, in order
 * @param values           {@code values[k][p]}: the value of player {@code p} for output {@code k} (copied)
 * @param base             {@code base[k]}: the expected output over the background (or the tree's training data)
 * @param prediction       {@code prediction[k]}: the model's output for the explained row
 * @param method           how the values were computed
 * @param outputSpace      what the numbers measure (probability, log-odds margin, raw tree score)
 * @param modelEvaluations the number of rows the model scored for this explanation (0 for closed forms)
 */
public record ShapValues(List<String> classNames, List<String> playerNames, double[][] values, double[] base,
                         double[] prediction, Method method, OutputSpace outputSpace, long modelEvaluations) {

    /** The algorithm behind the values. */
    public enum Method {
        /** KernelSHAP over all coalitions: the exact interventional Shapley values (Lundberg &amp; Lee 2017). */
        KERNEL_EXACT,
        /** KernelSHAP over sampled coalitions with the Shapley kernel (Lundberg &amp; Lee 2017): an estimate. */
        KERNEL_SAMPLED,
        /** LinearSHAP: the closed form for a linear model with independent features. */
        LINEAR,
        /** Path-dependent TreeSHAP (Lundberg et al. 2020, Algorithm 2): exact for the tree's value function. */
        TREE_PATH_DEPENDENT
    }

    /** The scale on which the values are additive. */
    public enum OutputSpace {
        /** The predictor's outputs as given (class probabilities for a classifier). */
        PROBABILITY,
        /** The log-odds (margin) of a linear or logistic model, before the sigmoid or softmax. */
        LOG_ODDS,
        /** A tree ensemble's raw summed leaf scores, before any post-transform. */
        RAW_SCORE
    }

    public ShapValues {
        classNames = List.copyOf(classNames);
        playerNames = List.copyOf(playerNames);
        if (values.length != classNames.size() || base.length != classNames.size()
                || prediction.length != classNames.size()) {
            throw new IllegalArgumentException("values, base and prediction need one entry per class ("
                    + classNames.size() + "), got " + values.length + ", " + base.length + " and " + prediction.length);
        }
        double[][] copy = new double[values.length][];
        for (int k = 0; k < values.length; k++) {
            if (values[k].length != playerNames.size()) {
                throw new IllegalArgumentException("class " + k + " has " + values[k].length + " values for "
                        + playerNames.size() + " players");
            }
            copy[k] = values[k].clone();
        }
        values = copy;
        base = base.clone();
        prediction = prediction.clone();
    }

    /** The value of player {@code player} for output {@code classIndex}. */
    public double value(int classIndex, int player) {
        return values[classIndex][player];
    }

    /** The values for one output (a copy). */
    public double[] values(int classIndex) {
        return values[classIndex].clone();
    }

    @Override
    public double[][] values() {
        double[][] out = new double[values.length][];
        for (int k = 0; k < values.length; k++) out[k] = values[k].clone();
        return out;
    }

    @Override
    public double[] base() {
        return base.clone();
    }

    @Override
    public double[] prediction() {
        return prediction.clone();
    }

    /** {@code |base + Σ values − prediction|}, the largest over outputs: how far efficiency is from holding. */
    public double efficiencyGap() {
        double worst = 0;
        for (int k = 0; k < values.length; k++) {
            double s = base[k];
            for (double v : values[k]) s += v;
            worst = Math.max(worst, Math.abs(s - prediction[k]));
        }
        return worst;
    }
}
