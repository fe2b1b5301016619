package dev.candor.explain.importance;

import dev.candor.explain.Predictor;
import dev.candor.explain.shap.Players;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Permutation feature importance (Breiman 2001; model-agnostic form of Fisher, Rudin &amp; Dominici 2019): the drop of
 * a score when one feature's (or one player's, e.g. a one-hot group's) values are shuffled across rows, breaking its
 * link with the label while keeping its distribution. Repeated with independent shuffles; the mean and the standard
 * deviation of the drop are reported. Pure and deterministic from the seed.
 */
public final class PermutationImportance {
    private PermutationImportance() {
    }

    /** A score of the model's outputs against labels, higher is better. */
    @FunctionalInterface
    public interface Score {
        /**
         * @param outputs     {@code labels.length × outputWidth} model outputs, row-major
         * @param outputWidth outputs per row
         * @param labels      the true class index per row
         */
        double score(float[] outputs, int outputWidth, int[] labels);
    }

    /** The fraction of rows whose highest output is the label's. */
    public static final Score ACCURACY = (out, width, labels) -> {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int k = 1; k < width; k++) if (out[i * width + k] > out[i * width + best]) best = k;
            if (best == labels[i]) right++;
        }
        return (double) right / labels.length;
    };

    /** Minus the mean log loss of the label's probability (clipped at 1e-15). */
    public static final Score NEGATIVE_LOG_LOSS = (out, width, labels) -> {
        double s = 0;
        for (int i = 0; i < labels.length; i++) s += Math.log(Math.max(1e-15, out[i * width + labels[i]]));
        return s / labels.length;
    };

    /**
     * Settings.
     *
     * @param repeats   shuffles per feature (&gt;= 1)
     * @param batchRows rows per model call (&gt;= 1)
     * @param seed      the seed of the shuffles
     */
    public record Options(int repeats, int batchRows, long seed) {
        public Options {
            if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
            if (batchRows < 1) throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        }

        /** 5 repeats, 8192 rows per call, seed 0. */
        public static Options defaults() {
            return new Options(5, 8192, 0L);
        }
    }

    /**
     * One feature's importance.
     *
     * @param name  the player
     * @param mean  the mean drop of the score over repeats
     * @param std   the sample standard deviation of the drop (0 with one repeat)
     * @param drops the drop of each repeat
     */
    public record Importance(String name, double mean, double std, List<Double> drops) {
        public Importance {
            drops = List.copyOf(drops);
        }
    }

    /**
     * @param baseline the score on the unshuffled rows
     * @param features one entry per player, in player order
     */
    public record Result(double baseline, List<Importance> features) {
        public Result {
            features = List.copyOf(features);
        }
    }

    /** Computes every player's importance on {@code rows} with {@code labels}. */
    public static Result compute(Predictor model, float[][] rows, int[] labels, Players players, Score score,
                                 Options options) {
        int width = model.inputWidth();
        int outputs = model.outputWidth();
        if (rows.length == 0) throw new IllegalArgumentException("permutation importance needs at least one row");
        if (labels.length != rows.length) {
            throw new IllegalArgumentException(rows.length + " rows but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= outputs) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is not a class index of"
                        + " the model's " + outputs + " outputs");
            }
        }
        int n = rows.length;
        float[] data = new float[n * width];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, the model takes "
                        + width);
            }
            System.arraycopy(rows[i], 0, data, i * width, width);
        }
        float[] out = new float[n * outputs];
        predictAll(model, data, n, out, options.batchRows());
        double baseline = score.score(out, outputs, labels);
        SplittableRandom rng = new SplittableRandom(options.seed());
        float[] shuffled = data.clone();
        int[] perm = new int[n];
        List<Importance> result = new ArrayList<>();
        for (int p = 0; p < players.size(); p++) {
            int[] cols = players.columnsOf(p);
            for (int c : cols) {
                if (c >= width) throw new IllegalArgumentException("player '" + players.names().get(p)
                        + "' has column " + c + " but the model takes " + width + " columns");
            }
            List<Double> drops = new ArrayList<>();
            for (int r = 0; r < options.repeats(); r++) {
                for (int i = 0; i < n; i++) perm[i] = i;
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                // the group's columns move together, so a one-hot group stays a valid one-hot row
                for (int i = 0; i < n; i++) for (int c : cols) shuffled[i * width + c] = data[perm[i] * width + c];
                predictAll(model, shuffled, n, out, options.batchRows());
                drops.add(baseline - score.score(out, outputs, labels));
            }
            for (int i = 0; i < n; i++) for (int c : cols) shuffled[i * width + c] = data[i * width + c];
            double mean = drops.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double ss = drops.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum();
            double std = drops.size() > 1 ? Math.sqrt(ss / (drops.size() - 1)) : 0;
            result.add(new Importance(players.names().get(p), mean, std, drops));
        }
        return new Result(baseline, result);
    }

    private static void predictAll(Predictor model, float[] data, int n, float[] out, int batchRows) {
        int width = model.inputWidth();
        int outputs = model.outputWidth();
        if (n <= batchRows) {
            model.predict(data, n, out);
            return;
        }
        float[] in = new float[batchRows * width];
        float[] part = new float[batchRows * outputs];
        for (int start = 0; start < n; start += batchRows) {
            int rows = Math.min(batchRows, n - start);
            System.arraycopy(data, start * width, in, 0, rows * width);
            model.predict(in, rows, part);
            System.arraycopy(part, 0, out, start * outputs, rows * outputs);
        }
    }
}
