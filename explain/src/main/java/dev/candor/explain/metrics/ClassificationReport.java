package dev.candor.explain.metrics;

import java.util.List;

/**
 * Everything {@link ClassificationMetrics#evaluate} measures on one set of predictions.
 *
 * @param classes          the class names, in probability-column order
 * @param positiveClass    the class that binary ROC AUC and the binary Brier score are computed on
 * @param rows             the number of rows scored
 * @param accuracy         see {@link Metric#ACCURACY}
 * @param balancedAccuracy see {@link Metric#BALANCED_ACCURACY}
 * @param precisionMacro   see {@link Metric#PRECISION_MACRO}
 * @param recallMacro      see {@link Metric#RECALL_MACRO}
 * @param f1Macro          see {@link Metric#F1_MACRO}
 * @param rocAuc           see {@link Metric#ROC_AUC}; NaN when undefined (one class only), with the reason in notes
 * @param logLoss          see {@link Metric#LOG_LOSS}
 * @param brier            see {@link Metric#BRIER}
 * @param perClass         one entry per class, in class order
 * @param confusion        the confusion matrix
 * @param notes            why a value is NaN or was computed on fewer classes, in words for a reviewer; often empty
 */
public record ClassificationReport(List<String> classes, String positiveClass, long rows,
                                   double accuracy, double balancedAccuracy, double precisionMacro,
                                   double recallMacro, double f1Macro, double rocAuc, double logLoss, double brier,
                                   List<ClassMetrics> perClass, ConfusionMatrix confusion, List<String> notes) {
    public ClassificationReport {
        classes = List.copyOf(classes);
        perClass = List.copyOf(perClass);
        notes = List.copyOf(notes);
    }

    /** The value of a headline metric. */
    public double value(Metric metric) {
        return switch (metric) {
            case ACCURACY -> accuracy;
            case BALANCED_ACCURACY -> balancedAccuracy;
            case PRECISION_MACRO -> precisionMacro;
            case RECALL_MACRO -> recallMacro;
            case F1_MACRO -> f1Macro;
            case ROC_AUC -> rocAuc;
            case LOG_LOSS -> logLoss;
            case BRIER -> brier;
        };
    }
}
