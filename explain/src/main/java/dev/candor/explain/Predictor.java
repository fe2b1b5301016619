package dev.candor.explain;

import java.util.List;

/**
 * A model seen from outside: a batch of feature rows in, one score per output (class probabilities for a
 * classifier) out. Every explainer, metric and fairness check in Candor works through this interface, so it knows
 * nothing of ONNX, Tribuo or Beam.
 *
 * <p><b>Thread safety:</b> implementations must be safe to call from several threads at once; explainers call
 * {@link #predict(float[], int, float[])} concurrently from parallel workers without external locking.
 * Implementations hold no per-call state in fields (buffers are per call or per thread).
 *
 * <p><b>Determinism:</b> the same rows give the same outputs, bit for bit, whichever thread asks. A row's outputs
 * should not depend on the other rows of the call either, since callers (Beam bundles, explainers) group rows
 * differently from run to run; an implementation that cannot promise this says so.
 */
public interface Predictor {

    /** The number of features per row. */
    int inputWidth();

    /**
     * The name of each output column, in output order: for a classifier, the class names in the order of its
     * probability outputs. Never empty.
     */
    List<String> outputNames();

    /** The number of outputs per row; {@code outputNames().size()}. */
    default int outputWidth() {
        return outputNames().size();
    }

    /**
     * Scores {@code n} rows.
     *
     * @param rows {@code n × inputWidth()} features, row-major; only the first {@code n * inputWidth()} values are read
     * @param n    the number of rows (0 is allowed and does nothing)
     * @param out  receives {@code n × outputWidth()} scores, row-major; only the first {@code n * outputWidth()}
     *             values are written
     * @throws IllegalArgumentException when an array is shorter than {@code n} rows need
     */
    void predict(float[] rows, int n, float[] out);

    /**
     * Convenience form of {@link #predict(float[], int, float[])}: one array per row in, one array per row out.
     *
     * @throws IllegalArgumentException when a row's length is not {@link #inputWidth()}
     */
    default float[][] predict(float[][] rows) {
        int width = inputWidth();
        int outputs = outputWidth();
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, the model takes "
                        + width);
            }
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        float[] out = new float[rows.length * outputs];
        predict(flat, rows.length, out);
        float[][] result = new float[rows.length][outputs];
        for (int i = 0; i < rows.length; i++) System.arraycopy(out, i * outputs, result[i], 0, outputs);
        return result;
    }

    /** Checks the array lengths of a {@link #predict(float[], int, float[])} call; for implementations. */
    static void checkShapes(Predictor p, float[] rows, int n, float[] out) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        long needIn = (long) n * p.inputWidth();
        long needOut = (long) n * p.outputWidth();
        if (rows.length < needIn) {
            throw new IllegalArgumentException(n + " rows of " + p.inputWidth() + " features need " + needIn
                    + " input values, the array holds " + rows.length);
        }
        if (out.length < needOut) {
            throw new IllegalArgumentException(n + " rows of " + p.outputWidth() + " outputs need " + needOut
                    + " output slots, the array holds " + out.length);
        }
    }
}
