package dev.candor.explain.lime;

import dev.candor.explain.Predictor;
import dev.candor.explain.internal.LinearSolve;
import java.util.List;
import java.util.SplittableRandom;

/**
 * LIME for tabular data (Ribeiro, Singh &amp; Guestrin 2016, "Why Should I Trust You?", KDD), in numbered steps:
 * <ol>
 *   <li>draw {@link Options#samples()} − 1 perturbations around the row, {@code x + z ⊙ σ} with {@code z ~ N(0, I)}
 *       and {@code σ} the training standard deviations (the row itself is sample 0);</li>
 *   <li>score them with the model, in batches of {@link Options#batchRows()} rows;</li>
 *   <li>weight each by the exponential kernel {@code sqrt(exp(−d² / width²))} of its distance {@code d = ‖z‖} to the
 *       row in standardized units (width {@code 0.75 √features} by default, as in the reference implementation);</li>
 *   <li>fit, per output, a weighted ridge regression of the output on {@code z} (intercept unpenalized);</li>
 *   <li>report the coefficients and the surrogate's weighted R², its fidelity near the row.</li>
 * </ol>
 * A column with zero training spread is never perturbed and gets weight 0. Deterministic: the same seed gives the
 * same weights, bit for bit. Immutable and thread-safe.
 */
public final class LimeTabular {

    /**
     * Settings.
     *
     * @param samples     perturbed rows per explanation (&gt;= 2)
     * @param kernelWidth the kernel width in standardized units; 0 picks {@code 0.75 √features}
     * @param ridgeAlpha  the ridge penalty on the coefficients (&gt;= 0)
     * @param batchRows   rows per model call (&gt;= 1)
     * @param seed        the seed of the perturbations
     */
    public record Options(int samples, double kernelWidth, double ridgeAlpha, int batchRows, long seed) {
        public Options {
            if (samples < 2) throw new IllegalArgumentException("LIME needs samples >= 2, got " + samples);
            if (!(kernelWidth >= 0) || Double.isInfinite(kernelWidth)) {
                throw new IllegalArgumentException("kernelWidth must be finite and >= 0 (0 = automatic), got "
                        + kernelWidth);
            }
            if (!(ridgeAlpha >= 0)) throw new IllegalArgumentException("ridgeAlpha must be >= 0, got " + ridgeAlpha);
            if (batchRows < 1) throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        }

        /** 5000 samples, automatic width, ridge 1.0 (the reference defaults), 8192 rows per call, seed 0. */
        public static Options defaults() {
            return new Options(5000, 0, 1.0, 8192, 0L);
        }

        public Options withSamples(int v) {
            return new Options(v, kernelWidth, ridgeAlpha, batchRows, seed);
        }

        public Options withSeed(long v) {
            return new Options(samples, kernelWidth, ridgeAlpha, batchRows, v);
        }

        public Options withKernelWidth(double v) {
            return new Options(samples, v, ridgeAlpha, batchRows, seed);
        }
    }

    private final Predictor model;
    private final List<String> featureNames;
    private final double[] std;
    private final Options options;

    /**
     * @param model        the model explained
     * @param featureNames one name per input column
     * @param training     training rows, for the per-column standard deviations
     * @param options      settings
     */
    public LimeTabular(Predictor model, List<String> featureNames, float[][] training, Options options) {
        this.model = model;
        this.featureNames = List.copyOf(featureNames);
        this.options = options;
        int width = model.inputWidth();
        if (featureNames.size() != width) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for a model of " + width
                    + " columns");
        }
        if (training.length < 2) {
            throw new IllegalArgumentException("LIME needs at least 2 training rows for the spread, got "
                    + training.length);
        }
        double[] mean = new double[width];
        for (float[] row : training) {
            if (row.length != width) {
                throw new IllegalArgumentException("a training row has " + row.length + " values, the model takes "
                        + width);
            }
            for (int j = 0; j < width; j++) mean[j] += row[j];
        }
        for (int j = 0; j < width; j++) mean[j] /= training.length;
        std = new double[width];
        for (float[] row : training) for (int j = 0; j < width; j++) std[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
        for (int j = 0; j < width; j++) std[j] = Math.sqrt(std[j] / (training.length - 1));
    }

    /** Explains one row with the options' seed. */
    public LimeExplanation explain(float[] x) {
        return explain(x, options.seed());
    }

    /** Explains one row, drawing perturbations from {@code seed}. */
    public LimeExplanation explain(float[] x, long seed) {
        int width = model.inputWidth();
        int outputs = model.outputWidth();
        if (x.length != width) {
            throw new IllegalArgumentException("the row has " + x.length + " values, the model takes " + width);
        }
        int n = options.samples();
        double kw = options.kernelWidth() > 0 ? options.kernelWidth() : 0.75 * Math.sqrt(width);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] z = new double[n * width];
        double[] kernel = new double[n];
        for (int i = 0; i < n; i++) {
            double d2 = 0;
            for (int j = 0; j < width; j++) {
                // sample 0 is the row itself; a constant column does not move
                double g = i == 0 || std[j] == 0 ? 0 : gaussian(rng);
                z[i * width + j] = g;
                d2 += g * g;
            }
            kernel[i] = Math.sqrt(Math.exp(-d2 / (kw * kw)));
        }
        double[][] y = new double[outputs][n];
        int cap = Math.min(options.batchRows(), n);
        float[] in = new float[cap * width];
        float[] out = new float[cap * outputs];
        for (int start = 0; start < n; start += cap) {
            int rows = Math.min(cap, n - start);
            for (int r = 0; r < rows; r++) {
                int i = start + r;
                for (int j = 0; j < width; j++) in[r * width + j] = (float) (x[j] + z[i * width + j] * std[j]);
                if (i == 0) System.arraycopy(x, 0, in, 0, width);
            }
            model.predict(in, rows, out);
            for (int r = 0; r < rows; r++) for (int k = 0; k < outputs; k++) y[k][start + r] = out[r * outputs + k];
        }
        double[][] weights = new double[outputs][];
        double[] intercepts = new double[outputs];
        double[] r2 = new double[outputs];
        double[] prediction = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            double[] beta = LinearSolve.weightedRidge(z, y[k], kernel, n, width, options.ridgeAlpha());
            intercepts[k] = beta[0];
            weights[k] = java.util.Arrays.copyOfRange(beta, 1, width + 1);
            r2[k] = LinearSolve.weightedR2(z, y[k], kernel, n, width, beta);
            prediction[k] = y[k][0];
        }
        return new LimeExplanation(model.outputNames(), featureNames, weights, intercepts, r2, prediction, n);
    }


    private static double gaussian(SplittableRandom rng) {
        // Box–Muller from the seeded stream, so samples do not depend on java.util.Random's hidden state.
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
