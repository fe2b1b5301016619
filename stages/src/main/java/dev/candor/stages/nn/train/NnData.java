package dev.candor.stages.nn.train;

/**
 * Rows for training: features flattened row-major ([rows, inputs]) and targets ([rows, outputs]: one-hot
 * classes, 0/1 for binary cross-entropy, values for MSE).
 */
public record NnData(float[] x, float[] y, int rows, int inputs, int outputs) {
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
