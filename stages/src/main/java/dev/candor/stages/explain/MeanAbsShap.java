package dev.candor.stages.explain;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The global summary of SHAP values: the mean of |value| per class and player over every explained row.
 *
 * <p>Sums are kept as exact {@link BigDecimal}s, because a double sum depends on the order in which the runner
 * merges partial sums, and the same seed must give the same summary bit for bit. A row adds {@code classes × players}
 * exact additions; the cost is negligible beside explaining the row.
 */
final class MeanAbsShap extends Combine.CombineFn<ShapRows.Explained, MeanAbsShap.Sums, MeanAbsShap.Summary> {
    private final int classes;
    private final int players;

    /** Partial sums: {@code sums[class * players + player]} of |value|, over {@code rows} rows. */
    static final class Sums implements Serializable {
        final BigDecimal[] sums;
        long rows;

        Sums(int size) {
            sums = new BigDecimal[size];
            java.util.Arrays.fill(sums, BigDecimal.ZERO);
        }
    }

    /**
     * The result.
     *
     * @param meanAbs {@code meanAbs[class][player]}: mean |SHAP value|, 0 when no rows were explained
     * @param rows    the number of rows summarized
     */
    record Summary(double[][] meanAbs, long rows) implements Serializable {
    }

    MeanAbsShap(int classes, int players) {
        this.classes = classes;
        this.players = players;
    }

    @Override
    public Sums createAccumulator() {
        return new Sums(classes * players);
    }

    @Override
    public Sums addInput(Sums acc, ShapRows.Explained row) {
        for (int k = 0; k < classes; k++) {
            for (int p = 0; p < players; p++) {
                int i = k * players + p;
                acc.sums[i] = acc.sums[i].add(new BigDecimal(Math.abs(row.values()[k][p])));
            }
        }
        acc.rows++;
        return acc;
    }

    @Override
    public Sums mergeAccumulators(Iterable<Sums> accumulators) {
        Sums total = createAccumulator();
        for (Sums s : accumulators) {
            for (int i = 0; i < total.sums.length; i++) total.sums[i] = total.sums[i].add(s.sums[i]);
            total.rows += s.rows;
        }
        return total;
    }

    @Override
    public Summary extractOutput(Sums acc) {
        double[][] mean = new double[classes][players];
        if (acc.rows > 0) {
            BigDecimal n = BigDecimal.valueOf(acc.rows);
            for (int k = 0; k < classes; k++) {
                for (int p = 0; p < players; p++) {
                    mean[k][p] = acc.sums[k * players + p].divide(n, MathContext.DECIMAL64).doubleValue();
                }
            }
        }
        return new Summary(mean, acc.rows);
    }

    @Override
    public Coder<Sums> getAccumulatorCoder(CoderRegistry registry, Coder<ShapRows.Explained> inputCoder) {
        return SerializableCoder.of(Sums.class);
    }

    @Override
    public Coder<Summary> getDefaultOutputCoder(CoderRegistry registry, Coder<ShapRows.Explained> inputCoder) {
        return SerializableCoder.of(Summary.class);
    }
}
