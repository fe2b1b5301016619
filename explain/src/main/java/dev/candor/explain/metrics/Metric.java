package dev.candor.explain.metrics;

import java.util.Locale;

/** The headline classification metrics: those with a single number per evaluation and a bootstrap interval. */
public enum Metric {
    /** Fraction of rows whose arg-max class is the true class. */
    ACCURACY,
    /** Mean recall over the classes present in the true labels. */
    BALANCED_ACCURACY,
    /** Mean per-class precision over the classes present in the true or predicted labels. */
    PRECISION_MACRO,
    /** Mean per-class recall over the classes present in the true or predicted labels. */
    RECALL_MACRO,
    /** Mean per-class F1 over the classes present in the true or predicted labels (not the F1 of the means). */
    F1_MACRO,
    /** Area under the ROC curve: binary on the positive class, one-vs-rest macro average for more classes. */
    ROC_AUC,
    /** Mean negative log probability of the true class; lower is better. */
    LOG_LOSS,
    /** Mean squared error of the probabilities; lower is better. */
    BRIER;

    /** The metric's name in the registry and in JSON: {@code balanced_accuracy}, {@code roc_auc}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a larger value is better (false for log loss and Brier score). */
    public boolean higherIsBetter() {
        return this != LOG_LOSS && this != BRIER;
    }
}
