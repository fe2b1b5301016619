package dev.candor.explain.lime;

import java.util.List;

/**
 * A LIME explanation: per model output, a weighted linear surrogate fitted around the row, in standardized units
 * (a weight is the change of the output when its feature moves by one training standard deviation from the row).
 *
 * @param outputNames      the outputs explained
 * @param featureNames     the features
 * @param weights          {@code weights[k][j]}: the surrogate's coefficient of feature {@code j} for output {@code k}
 * @param intercepts       the surrogate's intercept per output: its prediction at the row itself
 * @param weightedR2       per output, the surrogate's fidelity: weighted R² over the perturbation sample
 * @param modelPrediction  per output, the model's output for the row
 * @param samples          the number of perturbed rows the model scored
 */
public record LimeExplanation(List<String> outputNames, List<String> featureNames, double[][] weights,
                              double[] intercepts, double[] weightedR2, double[] modelPrediction, int samples) {
    public LimeExplanation {
        outputNames = List.copyOf(outputNames);
        featureNames = List.copyOf(featureNames);
        double[][] copy = new double[weights.length][];
        for (int k = 0; k < weights.length; k++) copy[k] = weights[k].clone();
        weights = copy;
        intercepts = intercepts.clone();
        weightedR2 = weightedR2.clone();
        modelPrediction = modelPrediction.clone();
    }

    /** The coefficients for one output (a copy). */
    public double[] weights(int output) {
        return weights[output].clone();
    }

    @Override
    public double[][] weights() {
        double[][] out = new double[weights.length][];
        for (int k = 0; k < weights.length; k++) out[k] = weights[k].clone();
        return out;
    }

    @Override
    public double[] intercepts() {
        return intercepts.clone();
    }

    @Override
    public double[] weightedR2() {
        return weightedR2.clone();
    }

    @Override
    public double[] modelPrediction() {
        return modelPrediction.clone();
    }

    /** The indexes of the {@code n} features with the largest |weight| for {@code output}, largest first. */
    public int[] topFeatures(int output, int n) {
        double[] w = weights[output];
        return java.util.stream.IntStream.range(0, w.length).boxed()
                .sorted((a, b) -> Double.compare(Math.abs(w[b]), Math.abs(w[a])) != 0
                        ? Double.compare(Math.abs(w[b]), Math.abs(w[a])) : Integer.compare(a, b))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }
}
