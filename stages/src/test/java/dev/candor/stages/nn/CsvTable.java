package dev.candor.stages.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/** A numeric CSV with the label in the last column, split and standardized for the training tests. */
record CsvTable(float[][] x, int[] labels) {
    static CsvTable read(Path file, ToIntFunction<String> label) {
        try {
            List<String> lines = Files.readAllLines(file);
            List<float[]> rows = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                float[] r = new float[f.length - 1];
                for (int i = 0; i < r.length; i++) r[i] = Float.parseFloat(f[i]);
                rows.add(r);
                ys.add(label.applyAsInt(f[f.length - 1]));
            }
            return new CsvTable(rows.toArray(new float[0][]), ys.stream().mapToInt(Integer::intValue).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Row indices in a seeded random order. */
    int[] shuffled(long seed) {
        int[] o = new int[labels.length];
        for (int i = 0; i < o.length; i++) o[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = o.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** Flattened features of the given rows, each column (x - mean) / std with mean and std of {@code fitRows}. */
    float[] standardized(int[] rows, int[] fitRows) {
        int d = x[0].length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int r : fitRows) for (int j = 0; j < d; j++) mean[j] += x[r][j] / fitRows.length;
        for (int r : fitRows) for (int j = 0; j < d; j++) sd[j] += Math.pow(x[r][j] - mean[j], 2) / fitRows.length;
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) ((x[rows[i]][j] - mean[j]) / Math.max(1e-9, Math.sqrt(sd[j])));
            }
        }
        return out;
    }

    /** Features of the given rows divided by {@code scale}. */
    float[] scaled(int[] rows, float scale) {
        int d = x[0].length;
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) for (int j = 0; j < d; j++) out[i * d + j] = x[rows[i]][j] / scale;
        return out;
    }

    int[] labelsOf(int[] rows) {
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) y[i] = labels[rows[i]];
        return y;
    }

    static int[] range(int[] order, int from, int to) {
        return java.util.Arrays.copyOfRange(order, from, to);
    }
}
