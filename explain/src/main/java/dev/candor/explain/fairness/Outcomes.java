package dev.candor.explain.fairness;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The true and predicted outcomes of each row, reduced to "favourable or not", and optionally the model's score
 * for the favourable outcome (needed for calibration).
 *
 * @param favourable    the name of the favourable outcome (e.g. {@code approved})
 * @param predictionRule how the predictions were made, in words (e.g. {@code score >= 0.5})
 * @param actual        per row: the true outcome is the favourable one
 * @param predicted     per row: the predicted outcome is the favourable one
 * @param scores        per row: the model's probability of the favourable outcome, in [0, 1]; empty when only
 *                      labels were given (calibration is then undefined)
 */
public record Outcomes(String favourable, String predictionRule, boolean[] actual, boolean[] predicted,
                       double[] scores) {

    public Outcomes {
        Objects.requireNonNull(favourable, "favourable");
        actual = actual.clone();
        predicted = predicted.clone();
        scores = scores.clone();
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " true outcomes but " + predicted.length
                    + " predictions; they must match one to one");
        }
        if (scores.length != 0 && scores.length != actual.length) {
            throw new IllegalArgumentException(actual.length + " true outcomes but " + scores.length
                    + " scores; give one score per row, or none");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!(scores[i] >= 0 && scores[i] <= 1)) {
                throw new IllegalArgumentException("row " + i + ": score " + scores[i]
                        + " is not a probability in [0, 1]");
            }
        }
    }

    /** From true and predicted labels; a row is favourable when its label equals {@code favourable}. */
    public static Outcomes ofLabels(List<String> actual, List<String> predicted, String favourable) {
        return new Outcomes(favourable, "predicted label = '" + favourable + "'", flags(actual, favourable),
                flags(predicted, favourable), new double[0]);
    }

    /**
     * From true labels and scores: a row is predicted favourable when {@code score >= threshold}.
     *
     * @param scores the model's probability of the favourable outcome per row
     */
    public static Outcomes ofScores(List<String> actual, double[] scores, double threshold, String favourable) {
        boolean[] predicted = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) predicted[i] = scores[i] >= threshold;
        return new Outcomes(favourable, "score >= " + threshold, flags(actual, favourable), predicted, scores);
    }

    private static boolean[] flags(List<String> labels, String favourable) {
        boolean[] f = new boolean[labels.size()];
        for (int i = 0; i < f.length; i++) f[i] = favourable.equals(labels.get(i));
        return f;
    }

    @Override
    public boolean[] actual() {
        return actual.clone();
    }

    @Override
    public boolean[] predicted() {
        return predicted.clone();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    boolean actualAt(int i) {
        return actual[i];
    }

    boolean predictedAt(int i) {
        return predicted[i];
    }

    boolean hasScores() {
        return scores.length > 0;
    }

    double scoreAt(int i) {
        return scores[i];
    }

    /** The number of rows. */
    public int rows() {
        return actual.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Outcomes x && favourable.equals(x.favourable) && predictionRule.equals(x.predictionRule)
                && Arrays.equals(actual, x.actual) && Arrays.equals(predicted, x.predicted)
                && Arrays.equals(scores, x.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(favourable, predictionRule, Arrays.hashCode(actual), Arrays.hashCode(predicted),
                Arrays.hashCode(scores));
    }

    @Override
    public String toString() {
        return "Outcomes[favourable=" + favourable + ", rule=" + predictionRule + ", rows=" + actual.length + "]";
    }
}
