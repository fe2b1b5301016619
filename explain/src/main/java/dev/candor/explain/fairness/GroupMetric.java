package dev.candor.explain.fairness;

/**
 * The metrics measured within one group, each with its definition written out. "Favourable" is the outcome named
 * in {@link Outcomes#favourable()}; Y is the true outcome, Ŷ the predicted one, n the group's size.
 */
public enum GroupMetric {
    BASE_RATE("base_rate", "P(Y = favourable | group) = #{Y = fav} / n"),
    SELECTION_RATE("selection_rate", "P(Ŷ = favourable | group) = #{Ŷ = fav} / n"),
    TRUE_POSITIVE_RATE("tpr", "P(Ŷ = fav | Y = fav, group) = TP / (TP + FN); NaN when the group has no Y = fav"),
    FALSE_POSITIVE_RATE("fpr", "P(Ŷ = fav | Y ≠ fav, group) = FP / (FP + TN); NaN when the group has no Y ≠ fav"),
    PRECISION("precision", "P(Y = fav | Ŷ = fav, group) = TP / (TP + FP); NaN when the group has no Ŷ = fav"),
    EXPECTED_CALIBRATION_ERROR("ece", "Σ_b (n_b / n) · |mean score in bin b − observed rate of Y = fav in bin b|"
            + " over equal-width score bins on [0, 1] (the last bin closed); NaN without scores");

    private final String key;
    private final String definition;

    GroupMetric(String key, String definition) {
        this.key = key;
        this.definition = definition;
    }

    /** The short name used in reports and gates, e.g. {@code selection_rate}. */
    public String key() {
        return key;
    }

    /** The definition in words and symbols. */
    public String definition() {
        return definition;
    }
}
