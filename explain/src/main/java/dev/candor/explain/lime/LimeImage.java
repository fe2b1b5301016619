package dev.candor.explain.lime;

import dev.candor.explain.Predictor;
import dev.candor.explain.internal.LinearSolve;
import java.util.SplittableRandom;

/**
 * LIME for images (Ribeiro, Singh &amp; Guestrin 2016), in numbered steps:
 * <ol>
 *   <li>split the image into {@link Superpixels} (the interpretable features);</li>
 *   <li>draw {@link Options#samples()} − 1 binary masks, each superpixel kept with probability ½ (sample 0 keeps
 *       all), and paint the dropped superpixels with the fill value (the background of the image);</li>
 *   <li>score the masked images with the model, in batches;</li>
 *   <li>weight each mask by the exponential kernel {@code sqrt(exp(−d² / width²))} of its cosine distance
 *       {@code d} to the all-kept mask (width 0.25, as the reference implementation);</li>
 *   <li>fit a weighted ridge regression of the chosen output on the masks; report the per-superpixel weights (the
 *       change of the output when the superpixel is shown rather than painted over) and the weighted R².</li>
 * </ol>
 * Pure and deterministic from the seed; thread-safe.
 */
public final class LimeImage {

    /**
     * Settings.
     *
     * @param samples     masks per explanation (&gt;= 2)
     * @param kernelWidth kernel width on the cosine distance (&gt; 0)
     * @param ridgeAlpha  ridge penalty (&gt;= 0)
     * @param fill        the value painted over dropped superpixels
     * @param batchRows   images per model call (&gt;= 1)
     */
    public record Options(int samples, double kernelWidth, double ridgeAlpha, float fill, int batchRows) {
        public Options {
            if (samples < 2) throw new IllegalArgumentException("LIME needs samples >= 2, got " + samples);
            if (!(kernelWidth > 0) || Double.isInfinite(kernelWidth)) {
                throw new IllegalArgumentException("kernelWidth must be finite and > 0, got " + kernelWidth);
            }
            if (!(ridgeAlpha >= 0)) throw new IllegalArgumentException("ridgeAlpha must be >= 0, got " + ridgeAlpha);
            if (batchRows < 1) throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        }

        /** 1000 masks, width 0.25, ridge 1.0, fill 0, 1024 images per call. */
        public static Options defaults() {
            return new Options(1000, 0.25, 1.0, 0f, 1024);
        }

        public Options withSamples(int v) {
            return new Options(v, kernelWidth, ridgeAlpha, fill, batchRows);
        }

        public Options withFill(float v) {
            return new Options(samples, kernelWidth, ridgeAlpha, v, batchRows);
        }
    }

    /**
     * An image explanation.
     *
     * @param superpixels the segmentation
     * @param output      the explained output column
     * @param weights     one weight per superpixel
     * @param intercept   the surrogate's intercept (its prediction with every superpixel painted over)
     * @param fidelity    the surrogate's weighted R² over the masks
     * @param prediction  the model's output for the image
     * @param samples     masked images scored
     */
    public record Explanation(Superpixels superpixels, int output, double[] weights, double intercept, double fidelity,
                              double prediction, int samples) {
        public Explanation {
            weights = weights.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }

        /** Per pixel, the weight of its superpixel (row-major), for a heat map. */
        public double[] pixelWeights() {
            double[] out = new double[superpixels.height() * superpixels.width()];
            for (int p = 0; p < out.length; p++) out[p] = weights[superpixels.of(p)];
            return out;
        }
    }

    private final Predictor model;
    private final Options options;

    public LimeImage(Predictor model, Options options) {
        this.model = model;
        this.options = options;
    }

    /** Explains output {@code output} for {@code image} (row-major pixels, the model's input) with {@code seed}. */
    public Explanation explain(float[] image, Superpixels superpixels, int output, long seed) {
        int width = model.inputWidth();
        if (image.length != width || superpixels.segment().length != width) {
            throw new IllegalArgumentException("the image has " + image.length + " pixels and the segmentation "
                    + superpixels.segment().length + ", but the model takes " + width);
        }
        if (output < 0 || output >= model.outputWidth()) {
            throw new IllegalArgumentException("output " + output + " is outside the model's " + model.outputWidth()
                    + " outputs " + model.outputNames());
        }
        int s = superpixels.count();
        int n = options.samples();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] z = new double[n * s];
        double[] kernel = new double[n];
        for (int i = 0; i < n; i++) {
            int on = 0;
            for (int k = 0; k < s; k++) {
                boolean keep = i == 0 || rng.nextBoolean();
                z[i * s + k] = keep ? 1 : 0;
                if (keep) on++;
            }
            // cosine distance to the all-ones mask: 1 − on / sqrt(on · s); an all-dropped mask is at distance 1
            double d = on == 0 ? 1 : 1 - on / Math.sqrt((double) on * s);
            double kw = options.kernelWidth();
            kernel[i] = Math.sqrt(Math.exp(-d * d / (kw * kw)));
        }
        int outputs = model.outputWidth();
        double[] y = new double[n];
        int cap = Math.min(options.batchRows(), n);
        float[] in = new float[cap * width];
        float[] out = new float[cap * outputs];
        int[] seg = superpixels.segment();
        for (int start = 0; start < n; start += cap) {
            int rows = Math.min(cap, n - start);
            for (int r = 0; r < rows; r++) {
                int i = start + r;
                for (int p = 0; p < width; p++) in[r * width + p] = z[i * s + seg[p]] == 1 ? image[p] : options.fill();
            }
            model.predict(in, rows, out);
            for (int r = 0; r < rows; r++) y[start + r] = out[r * outputs + output];
        }
        double[] beta = LinearSolve.weightedRidge(z, y, kernel, n, s, options.ridgeAlpha());
        double[] weights = java.util.Arrays.copyOfRange(beta, 1, s + 1);
        return new Explanation(superpixels, output, weights, beta[0], LinearSolve.weightedR2(z, y, kernel, n, s, beta),
                y[0], n);
    }
}
