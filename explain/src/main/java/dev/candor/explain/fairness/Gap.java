package dev.candor.explain.fairness;

/**
 * The between-group fairness measures, each with the definition it uses: libraries differ (Fairlearn measures
 * spreads over all groups, AIF360 compares the unprivileged with the privileged group, signed), so each gap says
 * which it follows. Groups "too few to judge" take no part. SR is the selection rate, "unpriv" all judged rows
 * outside the privileged group pooled together (AIF360's convention when only the privileged group is named).
 */
public enum Gap {
    DEMOGRAPHIC_PARITY_DIFFERENCE("demographic_parity_difference",
            "max over groups SR − min over groups SR (Fairlearn demographic_parity_difference); 0 is parity"),
    DEMOGRAPHIC_PARITY_RATIO("demographic_parity_ratio",
            "min over groups SR / max over groups SR (Fairlearn demographic_parity_ratio); 1 is parity; NaN when"
                    + " no group is ever selected"),
    STATISTICAL_PARITY_DIFFERENCE("statistical_parity_difference",
            "SR(unpriv) − SR(priv), signed (AIF360 statistical_parity_difference); negative disfavours the"
                    + " unprivileged"),
    DISPARATE_IMPACT("disparate_impact",
            "SR(unpriv) / SR(priv) (AIF360 disparate_impact; the four-fifths rule asks >= 0.8); NaN when the"
                    + " privileged group is never selected"),
    EQUAL_OPPORTUNITY_DIFFERENCE("equal_opportunity_difference",
            "TPR(unpriv) − TPR(priv), signed (AIF360 equal_opportunity_difference)"),
    EQUALIZED_ODDS_DIFFERENCE("equalized_odds_difference",
            "max(max−min of TPR over groups, max−min of FPR over groups) (Fairlearn equalized_odds_difference);"
                    + " NaN when a judged group's TPR or FPR is undefined"),
    AVERAGE_ODDS_DIFFERENCE("average_odds_difference",
            "((FPR(unpriv) − FPR(priv)) + (TPR(unpriv) − TPR(priv))) / 2, signed (AIF360"
                    + " average_odds_difference)");

    private final String key;
    private final String definition;

    Gap(String key, String definition) {
        this.key = key;
        this.definition = definition;
    }

    /** The short name used in reports and gates, e.g. {@code disparate_impact}. */
    public String key() {
        return key;
    }

    /** The definition in words and symbols, naming the library convention it follows. */
    public String definition() {
        return definition;
    }
}
