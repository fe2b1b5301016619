package dev.candor.stages.nn.train;

/**
 * Rows for training: features flattened row-major ([rows, inputs]), targets ([rows, outputs]: one-hot
 * classes, 0/1 for binary cross-entropy, values for MSE) and example weights ([rows], each finite and &gt;= 0;
 * all 1 when the data has none).
 */
public record NnData(float[] x, float[] y, int rows, int inputs, int outputs, float[] weights) {
    /** Rows that all weigh 1. */
    public NnData(float[] x, float[] y, int rows, int inputs, int outputs) {
        this(x, y, rows, inputs, outputs, ones(rows));
    }

    public NnData {
        if (rows < 1) throw new IllegalArgumentException("training needs at least one row, got " + rows);
        if (x.length != (long) rows * inputs) {
            throw new IllegalArgumentException("x holds " + x.length + " values but " + rows + " rows x " + inputs
                    + " inputs need " + (long) rows * inputs);
        }
        if (y.length != (long) rows * outputs) {
            throw new IllegalArgumentException("y holds " + y.length + " values but " + rows + " rows x " + outputs
                    + " outputs need " + (long) rows * outputs);
        }
        if (weights.length != rows) {
            throw new IllegalArgumentException(weights.length + " example weights for " + rows + " rows; give one per row");
        }
        for (int i = 0; i < rows; i++) {
            if (!(weights[i] >= 0) || Float.isInfinite(weights[i])) {
                throw new IllegalArgumentException("row " + i + " has example weight " + weights[i]
                        + "; weights must be finite and >= 0");
            }
        }
    }

    /** The same rows with these example weights. */
    public NnData withWeights(float[] w) {
        return new NnData(x, y, rows, inputs, outputs, w);
    }

    /** Whether any row weighs other than 1. */
    public boolean weighted() {
        for (float w : weights) if (w != 1f) return true;
        return false;
    }

    private static float[] ones(int rows) {
        float[] w = new float[Math.max(rows, 0)];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    /** Classification rows from class indices, one-hot encoded over {@code classes}. */
    public static NnData classes(float[] x, int[] labels, int inputs, int classes) {
        float[] y = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("row " + i + " has class " + labels[i] + ", expected 0.." + (classes - 1));
            }
            y[i * classes + labels[i]] = 1;
        }
        return new NnData(x, y, labels.length, inputs, classes);
    }
}
