package dev.candor.explain.shap;

import dev.candor.explain.Predictor;
import java.util.List;

/**
 * Shapley values straight from the definition, written independently of the explainers: the interventional value
 * function evaluated one row at a time, and either the average marginal contribution over all orderings of the
 * players (small games) or the sum over subsets with the Shapley weights.
 */
final class BruteForceShapley {
    private BruteForceShapley() {
    }

    /** v(S) for every subset S (bit i = player i), per output: the weighted mean over background rows. */
    static double[][] coalitionValues(Predictor f, float[][] background, double[] weights, List<int[]> players,
                                      float[] x) {
        int m = players.size();
        double wsum = 0;
        for (double w : weights) wsum += w;
        double[][] v = new double[1 << m][f.outputWidth()];
        for (int s = 0; s < (1 << m); s++) {
            float[][] rows = new float[background.length][];
            for (int b = 0; b < background.length; b++) {
                rows[b] = background[b].clone();
                for (int p = 0; p < m; p++) {
                    if ((s >> p & 1) == 1) for (int col : players.get(p)) rows[b][col] = x[col];
                }
            }
            float[][] out = f.predict(rows);
            for (int b = 0; b < background.length; b++) {
                for (int k = 0; k < out[b].length; k++) v[s][k] += weights[b] / wsum * out[b][k];
            }
        }
        return v;
    }

    /** φ[k][i] = mean over all orderings of v(pre ∪ i) − v(pre). For m ≤ 8. */
    static double[][] byPermutations(double[][] v, int m) {
        int outputs = v[0].length;
        double[][] phi = new double[outputs][m];
        int[] perm = new int[m];
        for (int i = 0; i < m; i++) perm[i] = i;
        long count = 0;
        do {
            int pre = 0;
            for (int i : perm) {
                for (int k = 0; k < outputs; k++) phi[k][i] += v[pre | 1 << i][k] - v[pre][k];
                pre |= 1 << i;
            }
            count++;
        } while (nextPermutation(perm));
        for (double[] row : phi) for (int i = 0; i < m; i++) row[i] /= count;
        return phi;
    }

    /** φ[k][i] = Σ_{S ∌ i} |S|! (m − |S| − 1)! / m! (v(S ∪ i) − v(S)). */
    static double[][] bySubsets(double[][] v, int m) {
        int outputs = v[0].length;
        double[][] phi = new double[outputs][m];
        for (int s = 0; s < (1 << m); s++) {
            int size = Integer.bitCount(s);
            double w = factorial(size) * factorial(m - size - 1) / factorial(m);
            for (int i = 0; i < m; i++) {
                if ((s >> i & 1) == 1) continue;
                for (int k = 0; k < outputs; k++) phi[k][i] += w * (v[s | 1 << i][k] - v[s][k]);
            }
        }
        return phi;
    }

    private static double factorial(int n) {
        double r = 1;
        for (int i = 2; i <= n; i++) r *= i;
        return r;
    }

    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) i--;
        if (i < 0) return false;
        int j = a.length - 1;
        while (a[j] <= a[i]) j--;
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }
}
