package dev.candor.explain.shap;

import dev.candor.explain.Predictor;
import java.util.List;
import java.util.SplittableRandom;

/** Small predictors with hand-written parameters, for checking explainers against the definition. */
final class TestModels {
    private TestModels() {
    }

    /** A binary logistic model: outputs (1 − p, p) with p = σ(b + w·x). */
    static Predictor logistic(double[] w, double b) {
        return new Predictor() {
            @Override public int inputWidth() { return w.length; }
            @Override public List<String> outputNames() { return List.of("no", "yes"); }
            @Override public void predict(float[] rows, int n, float[] out) {
                Predictor.checkShapes(this, rows, n, out);
                for (int i = 0; i < n; i++) {
                    double z = b;
                    for (int j = 0; j < w.length; j++) z += w[j] * rows[i * w.length + j];
                    double p = 1 / (1 + Math.exp(-z));
                    out[2 * i] = (float) (1 - p);
                    out[2 * i + 1] = (float) p;
                }
            }
        };
    }

    /** The margin b + w·x of a linear model, one output, exact in float for small integers. */
    static Predictor margin(double[] w, double b) {
        return new Predictor() {
            @Override public int inputWidth() { return w.length; }
            @Override public List<String> outputNames() { return List.of("log-odds"); }
            @Override public void predict(float[] rows, int n, float[] out) {
                Predictor.checkShapes(this, rows, n, out);
                for (int i = 0; i < n; i++) {
                    double z = b;
                    for (int j = 0; j < w.length; j++) z += w[j] * rows[i * w.length + j];
                    out[i] = (float) z;
                }
            }
        };
    }

    /**
     * Three hand-written trees over 5 features, summed into two class scores, then a softmax: a small boosted
     * ensemble with interactions (tree 2 splits on x1 under x3).
     */
    static Predictor treeEnsemble() {
        return new Predictor() {
            @Override public int inputWidth() { return 5; }
            @Override public List<String> outputNames() { return List.of("a", "b"); }
            @Override public void predict(float[] rows, int n, float[] out) {
                Predictor.checkShapes(this, rows, n, out);
                for (int i = 0; i < n; i++) {
                    int o = i * 5;
                    float x0 = rows[o], x1 = rows[o + 1], x2 = rows[o + 2], x3 = rows[o + 3], x4 = rows[o + 4];
                    double s = 0;
                    s += x0 < 0.5f ? (x2 <= 1f ? -0.8 : 0.3) : (x4 < 0f ? 0.9 : 0.2);
                    s += x3 <= 0f ? -0.4 : (x1 < 2f ? 0.7 : -0.1);
                    s += x2 < -1f ? 0.5 : (x0 <= 2f ? (x1 < 0f ? -0.6 : 0.1) : 0.4);
                    double p = 1 / (1 + Math.exp(-s));
                    out[2 * i] = (float) (1 - p);
                    out[2 * i + 1] = (float) p;
                }
            }
        };
    }

    /** A 6-input, 4-hidden (tanh), 3-output (softmax) perceptron with fixed pseudo-random weights. */
    static Predictor mlp() {
        SplittableRandom r = new SplittableRandom(42);
        double[][] w1 = new double[4][6];
        double[] b1 = new double[4];
        double[][] w2 = new double[3][4];
        double[] b2 = new double[3];
        for (double[] row : w1) for (int j = 0; j < row.length; j++) row[j] = r.nextDouble(-1.5, 1.5);
        for (int j = 0; j < 4; j++) b1[j] = r.nextDouble(-0.5, 0.5);
        for (double[] row : w2) for (int j = 0; j < row.length; j++) row[j] = r.nextDouble(-2, 2);
        for (int j = 0; j < 3; j++) b2[j] = r.nextDouble(-0.5, 0.5);
        return new Predictor() {
            @Override public int inputWidth() { return 6; }
            @Override public List<String> outputNames() { return List.of("low", "mid", "high"); }
            @Override public void predict(float[] rows, int n, float[] out) {
                Predictor.checkShapes(this, rows, n, out);
                double[] h = new double[4];
                double[] z = new double[3];
                for (int i = 0; i < n; i++) {
                    for (int a = 0; a < 4; a++) {
                        double s = b1[a];
                        for (int j = 0; j < 6; j++) s += w1[a][j] * rows[i * 6 + j];
                        h[a] = Math.tanh(s);
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < 3; c++) {
                        double s = b2[c];
                        for (int a = 0; a < 4; a++) s += w2[c][a] * h[a];
                        z[c] = s;
                        max = Math.max(max, s);
                    }
                    double sum = 0;
                    for (int c = 0; c < 3; c++) sum += z[c] = Math.exp(z[c] - max);
                    for (int c = 0; c < 3; c++) out[i * 3 + c] = (float) (z[c] / sum);
                }
            }
        };
    }

    /** {@code n} rows of {@code width} values drawn from N(0, 1.5²) rounded to quarters. */
    static float[][] gaussianRows(int n, int width, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] rows = new float[n][width];
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                row[j] = (float) (Math.rint(g * 1.5 * 4) / 4);
            }
        }
        return rows;
    }
}
