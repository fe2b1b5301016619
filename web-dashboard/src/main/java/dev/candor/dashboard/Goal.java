package dev.candor.dashboard;

import java.util.List;

/**
 * Which way a number has to move for a model to be better, so that a comparison can say "better" or "worse" in words
 * rather than leave the reader to remember that a lower log loss is good and a disparate impact should be near 1.
 */
public enum Goal {
    /** Accuracy, ROC AUC, k of k-anonymity. */
    HIGHER("higher is better"),
    /** Log loss, Brier score, membership advantage, ε. */
    LOWER("lower is better"),
    /** A ratio between groups (disparate impact): parity is 1, and 0.8 is as far from it as 1.25. */
    TOWARD_ONE("closer to 1 (parity) is better"),
    /** A difference between groups: parity is 0, whatever the sign. */
    TOWARD_ZERO("closer to 0 (parity) is better"),
    /** A membership-inference attack's ROC AUC: 0.5 is a coin flip, no leakage. */
    TOWARD_HALF("closer to 0.5 (chance) is better");

    /** Changes smaller than this print as 0.0000: they are not called better or worse. */
    static final double NEGLIGIBLE = 0.00005;

    private final String words;

    Goal(String words) {
        this.words = words;
    }

    /** The goal in words, for the row's label. */
    public String words() {
        return words;
    }

    /** The goal of a fairness gap: ratios toward 1, differences toward 0. */
    static Goal ofGap(String gap) {
        return FairnessView.isRatio(gap) ? TOWARD_ONE : TOWARD_ZERO;
    }

    /** The goal of a headline or privacy metric. */
    static Goal of(String metric) {
        return switch (metric) {
            case "log_loss", "brier", "membership_advantage", "membership_tpr_at_1pct_fpr", "privacy.epsilon" -> LOWER;
            case "membership_auc" -> TOWARD_HALF;
            default -> HIGHER;
        };
    }

    /** How far {@code v} is from the ideal, on a scale where smaller is better. */
    double badness(double v) {
        return switch (this) {
            case HIGHER -> -v;
            case LOWER -> v;
            case TOWARD_ONE -> v <= 0 ? 1 : 1 - Math.min(v, 1 / v);
            case TOWARD_ZERO -> Math.abs(v);
            case TOWARD_HALF -> Math.abs(v - 0.5);
        };
    }

    /** "better", "worse" or "no change" for a move from {@code baseline} to {@code value}. */
    String judge(double baseline, double value) {
        if (Math.abs(value - baseline) < NEGLIGIBLE) return "no change";
        double before = badness(baseline);
        double after = badness(value);
        if (Math.abs(after - before) < NEGLIGIBLE) return "no change";
        return after < before ? "better" : "worse";
    }

    /**
     * Whether two bootstrap intervals overlap: if they do, the difference is within sampling noise; if they do not,
     * the metric changed. Either interval missing: "no interval".
     */
    static String noise(double lowA, double highA, double lowB, double highB) {
        if (List.of(lowA, highA, lowB, highB).stream().anyMatch(d -> Double.isNaN(d))) return "no interval";
        return lowA <= highB && lowB <= highA ? "within noise" : "changed";
    }
}
