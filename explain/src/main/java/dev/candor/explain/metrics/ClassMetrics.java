package dev.candor.explain.metrics;

/**
 * The one-class view of a classification: the class against all others.
 *
 * @param name      the class name
 * @param precision true positives / predicted positives; 0 when the class was never predicted (0/0, as
 *                  scikit-learn's {@code zero_division=0})
 * @param recall    true positives / actual positives; 0 when the class never occurs (0/0)
 * @param f1        harmonic mean of precision and recall; 0 when both are 0
 * @param support   the number of rows whose true class is this one
 * @param predicted the number of rows predicted as this class
 */
public record ClassMetrics(String name, double precision, double recall, double f1, long support, long predicted) {
}
