package dev.candor.explain.shap;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reference distribution of an interventional Shapley game: weighted rows whose values stand in for the features
 * outside a coalition. KernelSHAP's cost grows linearly with the number of rows, so a large training set is
 * summarized first, by a seeded sample ({@link #sample}) or by weighted k-means ({@link #kMeans}).
 *
 * @param rows    {@code size × width} values, row-major (copied)
 * @param weights one weight per row, normalized to sum to 1
 * @param width   columns per row
 */
public record Background(float[] rows, double[] weights, int width) {

    public Background {
        if (width <= 0) throw new IllegalArgumentException("background width must be > 0, got " + width);
        if (rows.length % width != 0 || rows.length == 0) {
            throw new IllegalArgumentException("background holds " + rows.length + " values, not a positive multiple"
                    + " of the width " + width);
        }
        int n = rows.length / width;
        if (weights.length != n) {
            throw new IllegalArgumentException(n + " background rows need " + n + " weights, got " + weights.length);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("background weight " + i + " is " + weights[i]
                        + "; weights must be finite and >= 0");
            }
            sum += weights[i];
        }
        if (!(sum > 0)) throw new IllegalArgumentException("background weights sum to " + sum + "; need > 0");
        rows = rows.clone();
        double[] normalized = new double[n];
        for (int i = 0; i < n; i++) normalized[i] = weights[i] / sum;
        weights = normalized;
    }

    /** Every row, equally weighted. */
    public static Background of(float[][] data) {
        int width = widthOf(data);
        float[] flat = new float[data.length * width];
        for (int i = 0; i < data.length; i++) {
            if (data[i].length != width) {
                throw new IllegalArgumentException("background row " + i + " has " + data[i].length
                        + " values, row 0 has " + width);
            }
            System.arraycopy(data[i], 0, flat, i * width, width);
        }
        double[] w = new double[data.length];
        Arrays.fill(w, 1);
        return new Background(flat, w, width);
    }

    /** {@code k} rows drawn without replacement (all rows when {@code k >= data.length}), equally weighted. */
    public static Background sample(float[][] data, int k, long seed) {
        if (k <= 0) throw new IllegalArgumentException("background sample size must be > 0, got " + k);
        widthOf(data);
        if (k >= data.length) return of(data);
        int[] idx = new int[data.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        float[][] chosen = new float[k][];
        for (int i = 0; i < k; i++) chosen[i] = data[idx[i]];
        return of(chosen);
    }

    /**
     * {@code k} cluster centres of a seeded k-means (k-means++ start, Lloyd iterations), each weighted by the number
     * of rows in its cluster. Each centre coordinate is then moved to the nearest value that column takes among
     * the cluster's rows, so a one-hot or integer column stays a value the model has seen, not a fraction.
     */
    public static Background kMeans(float[][] data, int k, long seed) {
        if (k <= 0) throw new IllegalArgumentException("k-means needs k > 0, got " + k);
        int width = widthOf(data);
        int n = data.length;
        if (k >= n) return of(data);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = new double[k][];
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        centres[0] = toDouble(data[rng.nextInt(n)]);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], distance2(data[i], centres[c - 1]));
                total += nearest[i];
            }
            int pick = n - 1;
            if (total > 0) {
                double target = rng.nextDouble() * total;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += nearest[i];
                    if (acc > target) {
                        pick = i;
                        break;
                    }
                }
            } else {
                pick = rng.nextInt(n);
            }
            centres[c] = toDouble(data[pick]);
        }
        int[] assign = new int[n];
        for (int iter = 0; iter < 100; iter++) {
            boolean changed = iter == 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double d = distance2(data[i], centres[c]);
                    if (d < bestD) {
                        bestD = d;
                        best = c;
                    }
                }
                if (assign[i] != best) changed = true;
                assign[i] = best;
            }
            if (!changed) break;
            double[][] sums = new double[k][width];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[assign[i]]++;
                for (int j = 0; j < width; j++) sums[assign[i]][j] += data[i][j];
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) continue; // an empty cluster keeps its centre and ends with weight 0
                for (int j = 0; j < width; j++) centres[c][j] = sums[c][j] / counts[c];
            }
        }
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) counts[assign[i]]++;
        int kept = 0;
        for (int c = 0; c < k; c++) if (counts[c] > 0) kept++;
        float[] flat = new float[kept * width];
        double[] weights = new double[kept];
        int out = 0;
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) continue;
            for (int j = 0; j < width; j++) {
                float best = Float.NaN;
                double bestD = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if (assign[i] != c) continue;
                    double d = Math.abs(data[i][j] - centres[c][j]);
                    if (d < bestD) {
                        bestD = d;
                        best = data[i][j];
                    }
                }
                flat[out * width + j] = best;
            }
            weights[out++] = counts[c];
        }
        return new Background(flat, weights, width);
    }

    /** The number of rows. */
    public int size() {
        return weights.length;
    }

    /** The weighted mean of each column. */
    public double[] columnMeans() {
        double[] mean = new double[width];
        for (int i = 0; i < weights.length; i++) {
            for (int j = 0; j < width; j++) mean[j] += weights[i] * rows[i * width + j];
        }
        return mean;
    }

    @Override
    public float[] rows() {
        return rows.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The rows without a copy, for the explainers' hot loops. */
    float[] rowsRaw() {
        return rows;
    }

    double[] weightsRaw() {
        return weights;
    }

    private static int widthOf(float[][] data) {
        if (data.length == 0) throw new IllegalArgumentException("the background data are empty; give at least one row");
        return data[0].length;
    }

    private static double[] toDouble(float[] row) {
        double[] d = new double[row.length];
        for (int j = 0; j < row.length; j++) d[j] = row[j];
        return d;
    }

    private static double distance2(float[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            s += d * d;
        }
        return s;
    }
}
