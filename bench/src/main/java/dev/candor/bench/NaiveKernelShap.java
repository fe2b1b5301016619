package dev.candor.bench;

import dev.candor.explain.Predictor;
import dev.candor.explain.internal.LinearSolve;
import java.util.SplittableRandom;

/**
 * KernelSHAP written the obvious way, the baseline of {@link ShapBench}: draw {@code budget} coalitions (size in
 * proportion to the Shapley kernel {@code (M−1)/(s(M−s))}, then a uniform subset of that size), and for each
 * coalition and each background row build one perturbed row and make one model call; then the same
 * efficiency-constrained least squares as Candor's. Single-threaded, one row per call, fresh arrays per call. Its
 * nanoTime counters split the time into model calls, building rows, and the solve.
 */
final class NaiveKernelShap {
    private final Predictor model;
    private final float[][] background;
    private final double[] weights;
    private final double base;
    private final int budget;
    private final int positive;
    long modelNanos;
    long buildNanos;
    long solveNanos;
    long calls;

    NaiveKernelShap(Predictor model, float[][] background, double[] weights, int budget, int positive) {
        this.model = model;
        this.background = background;
        this.weights = weights;
        this.budget = budget;
        this.positive = positive;
        double sum = 0;
        for (int i = 0; i < background.length; i++) {
            sum += weights[i] * model.predict(new float[][] {background[i]})[0][positive];
        }
        this.base = sum;
    }

    /** The Shapley values of output {@code positive} for row {@code x}. */
    double[] explain(float[] x, long seed) {
        int m = x.length;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] sizeWeight = new double[m];
        double total = 0;
        for (int s = 1; s < m; s++) {
            sizeWeight[s] = (m - 1.0) / (s * (double) (m - s));
            total += sizeWeight[s];
        }
        double[] z = new double[budget * m];
        double[] y = new double[budget];
        double[] w = new double[budget];
        for (int c = 0; c < budget; c++) {
            long t0 = System.nanoTime();
            double u = rng.nextDouble() * total;
            int size = 1;
            while (size < m - 1 && (u -= sizeWeight[size]) > 0) size++;
            boolean[] in = new boolean[m];
            for (int picked = 0; picked < size; ) {
                int j = rng.nextInt(m);
                if (!in[j]) {
                    in[j] = true;
                    picked++;
                }
            }
            for (int j = 0; j < m; j++) z[c * m + j] = in[j] ? 1 : 0;
            w[c] = 1;
            long built = System.nanoTime() - t0;
            double v = 0;
            for (int i = 0; i < background.length; i++) {
                long t1 = System.nanoTime();
                float[] row = background[i].clone();
                for (int j = 0; j < m; j++) if (in[j]) row[j] = x[j];
                long t2 = System.nanoTime();
                v += weights[i] * model.predict(new float[][] {row})[0][positive];
                long t3 = System.nanoTime();
                built += t2 - t1;
                modelNanos += t3 - t2;
                calls++;
            }
            y[c] = v - base;
            buildNanos += built;
        }
        long t4 = System.nanoTime();
        double fx = model.predict(new float[][] {x})[0][positive];
        calls++;
        long t5 = System.nanoTime();
        double[] phi = LinearSolve.constrainedWeightedLeastSquares(z, y, w, budget, m, fx - base);
        long t6 = System.nanoTime();
        modelNanos += t5 - t4;
        solveNanos += t6 - t5;
        return phi;
    }

    void resetCounters() {
        modelNanos = buildNanos = solveNanos = calls = 0;
    }
}
