package dev.candor.explain.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Classification metrics from true class indexes and predicted class probabilities. Pure functions: no state, no
 * logging, the same inputs give the same outputs bit for bit.
 *
 * <p>Definitions (n rows, K classes, {@code p[i][c]} the probability of class c for row i, {@code y[i]} the true
 * class, {@code ŷ[i]} the predicted class = the first class of highest probability):
 * <ul>
 *   <li>accuracy = #{i : ŷ[i] = y[i]} / n</li>
 *   <li>per class c: precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R); a 0/0 is 0
 *       (scikit-learn's {@code zero_division=0})</li>
 *   <li>macro precision, recall, F1: the unweighted means of the per-class values over the classes that occur in
 *       y or ŷ (scikit-learn's default label set); a class absent from both does not dilute the mean</li>
 *   <li>balanced accuracy = the mean recall over the classes that occur in y</li>
 *   <li>ROC AUC, two classes: the Mann–Whitney statistic of {@code p[·][positive]}, ties counting one half;
 *       more classes: the unweighted mean of the one-vs-rest AUCs of the classes that have both positive and
 *       negative rows. NaN, with a note, when no class has both.</li>
 *   <li>log loss = −(1/n) Σ log(clip(p[i][y[i]], 1e-15, 1 − 1e-15)); probabilities are clipped, not renormalized</li>
 *   <li>Brier score, two classes: (1/n) Σ (p[i][positive] − [y[i] = positive])², the usual binary form on the
 *       positive class (in [0, 1]); more classes: (1/n) Σ_i Σ_c (p[i][c] − [y[i] = c])², Brier's original
 *       multi-class form (in [0, 2]). For two classes the multi-class form is exactly twice the binary one.</li>
 * </ul>
 */
public final class ClassificationMetrics {

    private ClassificationMetrics() {
    }

    /**
     * Measures one set of predictions.
     *
     * @param actual        the true class index of each row, in {@code [0, classes.size())}
     * @param probabilities one row of {@code classes.size()} probabilities per row of {@code actual}
     * @param classes       the class names, in probability-column order; at least two
     * @param positiveClass the class binary ROC AUC and the binary Brier score are computed on; one of classes
     * @throws IllegalArgumentException for mismatched lengths, an out-of-range class index, a non-finite
     *                                  probability, an unknown positive class or no rows
     */
    public static ClassificationReport evaluate(int[] actual, double[][] probabilities, List<String> classes,
                                                String positiveClass) {
        int positive = check(actual, probabilities, classes, positiveClass);
        int k = classes.size();
        WeightedScorer scorer = new WeightedScorer(actual, probabilities, k, positive);
        double[] headline = scorer.headline(null);
        long[][] confusion = scorer.confusion(null);

        List<ClassMetrics> perClass = new ArrayList<>(k);
        List<String> notes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            long support = 0, predicted = 0;
            for (int o = 0; o < k; o++) {
                support += confusion[c][o];
                predicted += confusion[o][c];
            }
            long tp = confusion[c][c];
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassMetrics(classes.get(c), precision, recall, f1, support, predicted));
            String name = classes.get(c);
            if (support == 0 && predicted == 0) {
                notes.add("class '" + name + "' occurs neither in the true labels nor in the predictions: it is left"
                        + " out of the macro averages");
            } else if (support == 0) {
                notes.add("class '" + name + "' never occurs in the true labels: its recall is 0/0, reported as 0,"
                        + " and balanced accuracy leaves it out");
            } else if (predicted == 0) {
                notes.add("class '" + name + "' was never predicted: its precision is 0/0, reported as 0");
            }
        }
        aucNotes(scorer, classes, positive, notes);
        return new ClassificationReport(classes, positiveClass, actual.length,
                headline[Metric.ACCURACY.ordinal()], headline[Metric.BALANCED_ACCURACY.ordinal()],
                headline[Metric.PRECISION_MACRO.ordinal()], headline[Metric.RECALL_MACRO.ordinal()],
                headline[Metric.F1_MACRO.ordinal()], headline[Metric.ROC_AUC.ordinal()],
                headline[Metric.LOG_LOSS.ordinal()], headline[Metric.BRIER.ordinal()],
                perClass, ConfusionMatrix.of(classes, confusion), notes);
    }

    private static void aucNotes(WeightedScorer scorer, List<String> classes, int positive, List<String> notes) {
        int[] aucClasses = scorer.aucClasses();
        double[] perClass = new double[aucClasses.length];
        double auc = scorer.rocAuc(null, perClass);
        if (classes.size() == 2) {
            if (Double.isNaN(auc)) {
                notes.add("roc_auc is undefined (NaN): it compares rows of the positive class '"
                        + classes.get(positive) + "' with rows of the other class, and the data hold only one of them");
            }
            return;
        }
        List<String> skipped = new ArrayList<>();
        for (int a = 0; a < aucClasses.length; a++) {
            if (Double.isNaN(perClass[a])) skipped.add(classes.get(aucClasses[a]));
        }
        if (Double.isNaN(auc)) {
            notes.add("roc_auc is undefined (NaN): no class has both rows of its own and rows of other classes");
        } else if (!skipped.isEmpty()) {
            notes.add("roc_auc is the one-vs-rest mean over " + (aucClasses.length - skipped.size()) + " of "
                    + aucClasses.length + " classes: " + skipped + " never occur in the true labels, so their"
                    + " one-vs-rest AUC is undefined");
        }
    }

    /**
     * Percentile bootstrap intervals of the headline metrics: B resamples of n rows drawn with replacement, each
     * metric computed on each resample, and the interval read off the sorted values at the
     * {@code (1 − confidence)/2} and {@code (1 + confidence)/2} quantiles (linear interpolation between order
     * statistics, NumPy's default). A resample on which a metric is undefined (ROC AUC with one class) is left out
     * of that metric's interval. Resample b draws from the b-th {@link SplittableRandom#split()} of
     * {@code random}, taken in order before any work, so the result does not depend on how many threads compute it.
     *
     * @param resamples  B, at least 1
     * @param confidence in (0, 1)
     * @param random     the source of all random draws; advanced by {@code resamples} splits
     */
    public static BootstrapIntervals bootstrap(int[] actual, double[][] probabilities, List<String> classes,
                                               String positiveClass, int resamples, double confidence,
                                               SplittableRandom random) {
        int positive = check(actual, probabilities, classes, positiveClass);
        if (resamples < 1) throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        WeightedScorer scorer = new WeightedScorer(actual, probabilities, classes.size(), positive);
        int n = actual.length;
        SplittableRandom[] streams = new SplittableRandom[resamples];
        for (int b = 0; b < resamples; b++) streams[b] = random.split();
        double[][] values = new double[resamples][];
        IntStream.range(0, resamples).parallel().forEach(b -> {
            int[] w = new int[n];
            SplittableRandom r = streams[b];
            for (int i = 0; i < n; i++) w[r.nextInt(n)]++;
            values[b] = scorer.headline(w);
        });

        double lowQ = (1 - confidence) / 2;
        double highQ = 1 - lowQ;
        Map<Metric, Interval> intervals = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            double[] v = new double[resamples];
            int defined = 0;
            for (double[] row : values) {
                double x = row[m.ordinal()];
                if (!Double.isNaN(x)) v[defined++] = x;
            }
            v = Arrays.copyOf(v, defined);
            Arrays.sort(v);
            intervals.put(m, defined == 0
                    ? new Interval(Double.NaN, Double.NaN, 0)
                    : new Interval(quantile(v, lowQ), quantile(v, highQ), defined));
        }
        return new BootstrapIntervals(resamples, confidence, intervals);
    }

    /** The q-quantile of sorted values, interpolating linearly between order statistics (Hyndman &amp; Fan type 7). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The index of the class a binary metric should call positive by default: the least frequent, first on ties. */
    public static int leastFrequentClass(int[] actual, int classCount) {
        long[] counts = new long[classCount];
        for (int y : actual) counts[y]++;
        int best = 0;
        for (int c = 1; c < classCount; c++) if (counts[c] < counts[best]) best = c;
        return best;
    }

    private static int check(int[] actual, double[][] probabilities, List<String> classes, String positiveClass) {
        int k = classes.size();
        if (k < 2) throw new IllegalArgumentException("need at least two classes, got " + classes);
        if (actual.length == 0) throw new IllegalArgumentException("no rows to measure: the true labels are empty");
        if (probabilities.length != actual.length) {
            throw new IllegalArgumentException(actual.length + " true labels but " + probabilities.length
                    + " rows of probabilities; they must match one to one");
        }
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= k) {
                throw new IllegalArgumentException("row " + i + ": true class index " + actual[i]
                        + " is outside [0, " + k + ") for classes " + classes);
            }
            double[] row = probabilities[i];
            if (row.length != k) {
                throw new IllegalArgumentException("row " + i + ": " + row.length + " probabilities, expected one per"
                        + " class (" + k + ": " + classes + ")");
            }
            for (int c = 0; c < k; c++) {
                if (!Double.isFinite(row[c])) {
                    throw new IllegalArgumentException("row " + i + ": the probability of class '" + classes.get(c)
                            + "' is " + row[c] + "; probabilities must be finite");
                }
            }
        }
        int positive = classes.indexOf(positiveClass);
        if (positive < 0) {
            throw new IllegalArgumentException("positive class '" + positiveClass + "' is not one of the classes "
                    + classes);
        }
        return positive;
    }
}
