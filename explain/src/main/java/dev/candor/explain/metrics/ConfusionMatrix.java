package dev.candor.explain.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts of rows by true class (row) and predicted class (column).
 *
 * @param classes the class names, in index order
 * @param counts  {@code counts.get(actual).get(predicted)}: a square matrix of {@code classes.size()} rows
 */
public record ConfusionMatrix(List<String> classes, List<List<Long>> counts) {
    public ConfusionMatrix {
        classes = List.copyOf(classes);
        List<List<Long>> copy = new ArrayList<>(counts.size());
        for (List<Long> row : counts) {
            if (row.size() != classes.size()) {
                throw new IllegalArgumentException("a confusion matrix of " + classes.size() + " classes needs rows of "
                        + classes.size() + " counts, got one of " + row.size());
            }
            copy.add(List.copyOf(row));
        }
        if (copy.size() != classes.size()) {
            throw new IllegalArgumentException("a confusion matrix of " + classes.size() + " classes needs "
                    + classes.size() + " rows, got " + copy.size());
        }
        counts = List.copyOf(copy);
    }

    static ConfusionMatrix of(List<String> classes, long[][] counts) {
        List<List<Long>> rows = new ArrayList<>(counts.length);
        for (long[] row : counts) {
            List<Long> r = new ArrayList<>(row.length);
            for (long c : row) r.add(c);
            rows.add(r);
        }
        return new ConfusionMatrix(classes, rows);
    }

    /** Rows of true class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts.get(actual).get(predicted);
    }

    /** A fresh array copy, {@code [actual][predicted]}. */
    public long[][] toArray() {
        long[][] a = new long[classes.size()][classes.size()];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) a[i][j] = count(i, j);
        }
        return a;
    }
}
