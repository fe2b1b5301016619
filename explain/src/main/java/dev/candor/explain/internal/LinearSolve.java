package dev.candor.explain.internal;

/**
 * The small dense linear algebra the explainers need, written here because {@code explain/} depends on no library:
 * weighted least squares with one linear equality constraint (KernelSHAP's efficiency), and weighted ridge regression
 * with an unpenalized intercept (LIME's surrogate). Sizes are tens to a few hundred unknowns, so plain
 * {@code O(p³)} elimination in double precision is the right tool.
 */
public final class LinearSolve {
    private LinearSolve() {
    }

    /**
     * Solves {@code a · x = b} by Gaussian elimination with partial pivoting. {@code a} ({@code n × n}, row-major) and
     * {@code b} are overwritten.
     *
     * @return the solution, {@code b}'s array
     * @throws IllegalStateException when the matrix is singular to working precision
     */
    public static double[] solveInPlace(double[] a, double[] b, int n) {
        if (a.length < n * n || b.length < n) {
            throw new IllegalArgumentException("a " + n + "×" + n + " system needs " + (n * n) + " matrix and " + n
                    + " right-hand-side values, got " + a.length + " and " + b.length);
        }
        double scale = 0;
        for (int i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i]));
        double tiny = scale * 1e-14 * n;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
            if (!(Math.abs(a[pivot * n + col]) > tiny)) {
                throw new IllegalStateException("the " + n + "×" + n + " system is singular at column " + col
                        + " (pivot " + a[pivot * n + col] + "); the data do not determine this unknown");
            }
            if (pivot != col) {
                for (int c = 0; c < n; c++) {
                    double t = a[col * n + c];
                    a[col * n + c] = a[pivot * n + c];
                    a[pivot * n + c] = t;
                }
                double t = b[col];
                b[col] = b[pivot];
                b[pivot] = t;
            }
            double p = a[col * n + col];
            for (int r = col + 1; r < n; r++) {
                double f = a[r * n + col] / p;
                if (f == 0) continue;
                for (int c = col; c < n; c++) a[r * n + c] -= f * a[col * n + c];
                b[r] -= f * b[col];
            }
        }
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < n; c++) s -= a[r * n + c] * b[c];
            b[r] = s / a[r * n + r];
        }
        return b;
    }

    /**
     * Minimizes {@code Σ_k w_k (y_k − z_k·β)²} subject to {@code Σ_j β_j = total}, through the KKT system
     * {@code [ZᵀWZ 1; 1ᵀ 0] [β; λ] = [ZᵀWy; total]}.
     *
     * @param z     {@code m × p} design, row-major
     * @param y     {@code m} targets
     * @param w     {@code m} non-negative weights
     * @param m     rows
     * @param p     unknowns
     * @param total the value the unknowns must sum to
     * @return the {@code p} coefficients; they sum to {@code total} up to rounding
     */
    public static double[] constrainedWeightedLeastSquares(double[] z, double[] y, double[] w, int m, int p,
                                                           double total) {
        return constrainedWeightedLeastSquares(z, new double[][] {y}, w, m, p, new double[] {total})[0];
    }

    /**
     * {@link #constrainedWeightedLeastSquares(double[], double[], double[], int, int, double)} for several target
     * vectors over the same design and weights (one per model output), building {@code ZᵀWZ} once.
     *
     * @param ys     {@code ys[k]}: the {@code m} targets of problem {@code k}
     * @param totals {@code totals[k]}: the sum problem {@code k}'s coefficients must reach
     * @return {@code [k][p]} coefficients
     */
    public static double[][] constrainedWeightedLeastSquares(double[] z, double[][] ys, double[] w, int m, int p,
                                                             double[] totals) {
        if (ys.length != totals.length) {
            throw new IllegalArgumentException(ys.length + " target vectors but " + totals.length + " totals");
        }
        int n = p + 1;
        double[] a = new double[n * n];
        normalMatrix(z, w, m, p, a, n);
        for (int j = 0; j < p; j++) {
            a[j * n + p] = 1;
            a[p * n + j] = 1;
        }
        double[][] out = new double[ys.length][];
        for (int k = 0; k < ys.length; k++) {
            double[] y = ys[k];
            if (y.length < m) throw new IllegalArgumentException("target vector " + k + " has " + y.length
                    + " values for " + m + " rows");
            double[] b = new double[n];
            for (int r = 0; r < m; r++) {
                double wy = w[r] * y[r];
                if (wy == 0) continue;
                int off = r * p;
                for (int i = 0; i < p; i++) b[i] += wy * z[off + i];
            }
            b[p] = totals[k];
            double[] solution = solveInPlace(a.clone(), b, n);
            double[] beta = new double[p];
            System.arraycopy(solution, 0, beta, 0, p);
            // Elimination leaves the constraint satisfied only to rounding; spread the residue so the sum holds to
            // the last bits, since efficiency is a promise made to the reader of the explanation.
            double sum = 0;
            for (double v : beta) sum += v;
            double residue = (totals[k] - sum) / p;
            for (int j = 0; j < p; j++) beta[j] += residue;
            out[k] = beta;
        }
        return out;
    }

    /**
     * Weighted ridge regression with an unpenalized intercept: minimizes
     * {@code Σ_k w_k (y_k − β₀ − z_k·β)² + alpha ‖β‖²}.
     *
     * @return {@code p + 1} values: the intercept first, then the coefficients
     */
    public static double[] weightedRidge(double[] z, double[] y, double[] w, int m, int p, double alpha) {
        if (alpha < 0 || Double.isNaN(alpha)) throw new IllegalArgumentException("ridge alpha must be >= 0, got " + alpha);
        int n = p + 1;
        // Column 0 of the augmented design is the constant 1; build ZᵀWZ over [1 z] directly.
        double[] a = new double[n * n];
        double[] b = new double[n];
        double[] row = new double[n];
        for (int k = 0; k < m; k++) {
            double wk = w[k];
            if (wk == 0) continue;
            row[0] = 1;
            System.arraycopy(z, k * p, row, 1, p);
            for (int i = 0; i < n; i++) {
                double wi = wk * row[i];
                if (wi == 0) continue;
                b[i] += wi * y[k];
                for (int j = i; j < n; j++) a[i * n + j] += wi * row[j];
            }
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) a[i * n + j] = a[j * n + i];
        for (int j = 1; j < n; j++) a[j * n + j] += alpha;
        return solveInPlace(a, b, n);
    }

    /**
     * The weighted R² of a fit from {@link #weightedRidge}: {@code 1 − Σ w (y − ŷ)² / Σ w (y − ȳ_w)²}, with ȳ_w the
     * weighted mean. A flat {@code y} is fitted perfectly by the intercept: 1.
     *
     * @param beta the intercept, then the {@code p} coefficients
     */
    public static double weightedR2(double[] z, double[] y, double[] w, int m, int p, double[] beta) {
        double wsum = 0;
        double wy = 0;
        for (int i = 0; i < m; i++) {
            wsum += w[i];
            wy += w[i] * y[i];
        }
        double mean = wy / wsum;
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < m; i++) {
            double fit = beta[0];
            for (int j = 0; j < p; j++) fit += beta[j + 1] * z[i * p + j];
            ssRes += w[i] * (y[i] - fit) * (y[i] - fit);
            ssTot += w[i] * (y[i] - mean) * (y[i] - mean);
        }
        return ssTot == 0 ? 1.0 : 1 - ssRes / ssTot;
    }

    private static void normalMatrix(double[] z, double[] w, int m, int p, double[] a, int stride) {
        if (z.length < m * p || w.length < m) {
            throw new IllegalArgumentException(m + " rows of " + p + " unknowns need " + (m * p) + " design values and "
                    + m + " weights; got " + z.length + " and " + w.length);
        }
        for (int k = 0; k < m; k++) {
            double wk = w[k];
            if (wk == 0) continue;
            int off = k * p;
            for (int i = 0; i < p; i++) {
                double wi = wk * z[off + i];
                if (wi == 0) continue;
                for (int j = i; j < p; j++) a[i * stride + j] += wi * z[off + j];
            }
        }
        for (int i = 0; i < p; i++) for (int j = 0; j < i; j++) a[i * stride + j] = a[j * stride + i];
    }
}
