package dev.candor.explain.fairness;

/**
 * One bin of a reliability diagram: the rows whose score falls in {@code [low, high)} (the last bin closed).
 *
 * @param low          the lower edge
 * @param high         the upper edge
 * @param rows         the rows in the bin
 * @param meanScore    the mean score of those rows; NaN when the bin is empty
 * @param observedRate the fraction of those rows whose true outcome is favourable; NaN when the bin is empty
 */
public record ReliabilityBin(double low, double high, int rows, double meanScore, double observedRate) {
}
