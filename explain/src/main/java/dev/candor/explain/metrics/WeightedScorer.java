package dev.candor.explain.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Computes the metrics of rows that each count {@code w[i]} times. The plain evaluation uses weight 1 everywhere,
 * a bootstrap resample the number of times each row was drawn, so both go through the same code. Sorting by score
 * happens once, here; each resample then costs O(n · classes).
 */
final class WeightedScorer {
    static final double EPS = 1e-15;

    final int n;
    final int k;
    final int positive;
    final int[] actual;
    final double[][] p;
    final int[] predicted;
    /** Per row: its confusion cell {@code actual * k + predicted}, −log of its clipped true-class probability, its Brier term. */
    private final int[] cell;
    private final double[] logLossTerm;
    private final double[] brierTerm;
    /** Per ROC class: row indexes by ascending score, whether each is of the class, and where tied groups start. */
    private final int[][] order;
    private final boolean[][] positiveInOrder;
    private final int[][] groupStarts;
    /** The classes that have a ROC curve: the positive class for two classes, every class otherwise. */
    private final int[] aucClasses;

    WeightedScorer(int[] actual, double[][] p, int k, int positive) {
        this.n = actual.length;
        this.k = k;
        this.positive = positive;
        this.actual = actual;
        this.p = p;
        this.predicted = new int[n];
        this.cell = new int[n];
        this.logLossTerm = new double[n];
        this.brierTerm = new double[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = argMax(p[i]);
            cell[i] = actual[i] * k + predicted[i];
            logLossTerm[i] = -Math.log(Math.min(Math.max(p[i][actual[i]], EPS), 1 - EPS));
            brierTerm[i] = brierTerm(p[i], actual[i]);
        }
        // Sorting once and laying the walk out in arrays keeps each resample's ROC pass sequential in memory.
        this.aucClasses = k == 2 ? new int[] {positive} : rangeOf(k);
        this.order = new int[aucClasses.length][];
        this.positiveInOrder = new boolean[aucClasses.length][];
        this.groupStarts = new int[aucClasses.length][];
        for (int a = 0; a < aucClasses.length; a++) {
            int c = aucClasses[a];
            int[] ord = sortedBy(p, c);
            boolean[] isPositive = new boolean[n];
            int[] starts = new int[n + 1];
            int groups = 0;
            for (int i = 0; i < n; i++) {
                isPositive[i] = actual[ord[i]] == c;
                if (i == 0 || p[ord[i]][c] != p[ord[i - 1]][c]) starts[groups++] = i;
            }
            starts[groups] = n;
            order[a] = ord;
            positiveInOrder[a] = isPositive;
            groupStarts[a] = Arrays.copyOf(starts, groups + 1);
        }
    }

    private double brierTerm(double[] row, int y) {
        if (k == 2) {
            double d = row[positive] - (y == positive ? 1 : 0);
            return d * d;
        }
        double e = 0;
        for (int c = 0; c < k; c++) {
            double d = row[c] - (y == c ? 1 : 0);
            e += d * d;
        }
        return e;
    }

    /** The first class of highest probability: ties go to the lower index, as NumPy's argmax. */
    static int argMax(double[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    private static int[] rangeOf(int k) {
        int[] r = new int[k];
        for (int i = 0; i < k; i++) r[i] = i;
        return r;
    }

    private static int[] sortedBy(double[][] p, int c) {
        Integer[] idx = new Integer[p.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingDouble(i -> p[i][c]));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) out[i] = idx[i];
        return out;
    }

    /** Weighted confusion counts {@code [actual][predicted]}; {@code w == null} means weight 1. */
    long[][] confusion(int[] w) {
        long[] flat = new long[k * k];
        for (int i = 0; i < n; i++) flat[cell[i]] += w == null ? 1 : w[i];
        long[][] c = new long[k][k];
        for (int a = 0; a < k; a++) System.arraycopy(flat, a * k, c[a], 0, k);
        return c;
    }

    /** The headline metrics, in {@link Metric} order. */
    double[] headline(int[] w) {
        long[][] c = confusion(w);
        double[] out = new double[Metric.values().length];
        double total = 0, correct = 0;
        double sumP = 0, sumR = 0, sumF = 0, sumRecallPresent = 0;
        int macroClasses = 0, presentClasses = 0;
        for (int a = 0; a < k; a++) {
            long support = 0, predictedAs = 0;
            for (int b = 0; b < k; b++) {
                support += c[a][b];
                predictedAs += c[b][a];
            }
            total += support;
            correct += c[a][a];
            double precision = predictedAs == 0 ? 0 : (double) c[a][a] / predictedAs;
            double recall = support == 0 ? 0 : (double) c[a][a] / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            if (support > 0 || predictedAs > 0) {
                macroClasses++;
                sumP += precision;
                sumR += recall;
                sumF += f1;
            }
            if (support > 0) {
                presentClasses++;
                sumRecallPresent += recall;
            }
        }
        out[Metric.ACCURACY.ordinal()] = correct / total;
        out[Metric.BALANCED_ACCURACY.ordinal()] = sumRecallPresent / presentClasses;
        out[Metric.PRECISION_MACRO.ordinal()] = sumP / macroClasses;
        out[Metric.RECALL_MACRO.ordinal()] = sumR / macroClasses;
        out[Metric.F1_MACRO.ordinal()] = sumF / macroClasses;
        out[Metric.ROC_AUC.ordinal()] = rocAuc(w, null);
        out[Metric.LOG_LOSS.ordinal()] = logLoss(w, total);
        out[Metric.BRIER.ordinal()] = brier(w, total);
        return out;
    }

    private double logLoss(int[] w, double total) {
        return weightedSum(logLossTerm, w) / total;
    }

    private double brier(int[] w, double total) {
        return weightedSum(brierTerm, w) / total;
    }

    private static double weightedSum(double[] terms, int[] w) {
        double sum = 0;
        if (w == null) {
            for (double t : terms) sum += t;
        } else {
            for (int i = 0; i < terms.length; i++) if (w[i] != 0) sum += w[i] * terms[i];
        }
        return sum;
    }

    /**
     * ROC AUC as the Mann–Whitney statistic: over all (positive, negative) pairs, the fraction where the positive
     * scores higher, a tie counting one half. Walking rows in ascending score, each group of tied scores adds
     * {@code positives(group) × (negatives below + negatives(group) / 2)}; this equals the rank-sum formula with
     * mid-ranks for ties.
     *
     * @param perClass when not null, receives each ROC class's AUC (NaN when the class has no positive or no negative)
     * @return binary: the positive class's AUC; more classes: the mean over classes whose AUC is defined; NaN if none
     */
    double rocAuc(int[] w, double[] perClass) {
        double sum = 0;
        int defined = 0;
        for (int a = 0; a < aucClasses.length; a++) {
            int[] ord = order[a];
            boolean[] isPositive = positiveInOrder[a];
            int[] starts = groupStarts[a];
            double pos = 0, neg = 0, numerator = 0;
            for (int g = 0; g + 1 < starts.length; g++) {
                double groupPos = 0, groupNeg = 0;
                for (int i = starts[g]; i < starts[g + 1]; i++) {
                    int weight = w == null ? 1 : w[ord[i]];
                    if (isPositive[i]) groupPos += weight; else groupNeg += weight;
                }
                numerator += groupPos * (neg + groupNeg / 2);
                pos += groupPos;
                neg += groupNeg;
            }
            double auc = pos == 0 || neg == 0 ? Double.NaN : numerator / (pos * neg);
            if (perClass != null) perClass[a] = auc;
            if (!Double.isNaN(auc)) {
                sum += auc;
                defined++;
            }
        }
        return defined == 0 ? Double.NaN : sum / defined;
    }

    int[] aucClasses() {
        return aucClasses.clone();
    }
}
