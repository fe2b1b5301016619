package dev.candor.stages.train;

import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tribuo.Trainer;
import org.tribuo.WeightedExamples;
import org.tribuo.classification.Label;

/**
 * The per-example weights of a training split, from its {@link ColumnRole#WEIGHT} column (absent: every row
 * weighs 1). Tribuo's trainers that implement {@link WeightedExamples} multiply each example's loss (SGD: logistic
 * regression), impurity counts (CART) or gradient (XGBoost) by its weight. Tribuo's random forest
 * ({@code BaggingTrainer}) does not: it draws its bootstrap samples ignoring weights, so a weighted forest would
 * silently not be the model asked for, and the stage refuses it.
 */
public final class ExampleWeights {

    private ExampleWeights() {
    }

    /** The weight column's name. @throws IllegalArgumentException when there is none */
    static String column(DatasetSchema schema) {
        return weightColumn(schema).orElseThrow(() -> new IllegalArgumentException("the dataset has no weight column"))
                .name();
    }

    /**
     * The weights of {@code rows}, or empty when the dataset has no weight column.
     *
     * @throws ConfigException when the trainer does not honour weights
     * @throws DataException   for a weight that is negative, NaN or infinite, or when all weights are 0
     */
    static Optional<float[]> of(DatasetSchema schema, List<DatasetRow> rows, String file, Trainer<Label> trainer,
                                Algorithm algorithm) {
        Optional<ColumnSchema> column = weightColumn(schema);
        if (column.isEmpty()) return Optional.empty();
        if (!(trainer instanceof WeightedExamples)) {
            throw new ConfigException("algorithm", algorithm.label() + " does not honour example weights (Tribuo's"
                    + " random forest bootstraps rows ignoring them), but the dataset carries the weight column '"
                    + column.get().name() + "'; train logistic-regression, cart or xgboost on it, or train the forest"
                    + " on the unweighted dataset");
        }
        int idx = schema.indexOf(column.get().name());
        float[] w = new float[rows.size()];
        List<DataException.Problem> problems = new ArrayList<>();
        long bad = 0;
        double total = 0;
        for (int r = 0; r < w.length; r++) {
            double v = rows.get(r).number(idx);
            if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
                if (problems.size() < 10) {
                    problems.add(new DataException.Problem(file, rows.get(r).sourceRow(), column.get().name(),
                            Double.toString(v), "a finite weight >= 0"));
                }
                bad++;
            }
            w[r] = (float) v;
            total += v;
        }
        if (bad > 0) throw new DataException(problems, bad);
        if (total == 0) {
            throw new DataException(file, 0, column.get().name(), "0", "at least one positive weight; every train"
                    + " row weighs 0, so there is nothing to learn from");
        }
        return Optional.of(w);
    }

    private static Optional<ColumnSchema> weightColumn(DatasetSchema schema) {
        List<ColumnSchema> w = schema.columns().stream().filter(c -> c.role() == ColumnRole.WEIGHT).toList();
        if (w.size() > 1) {
            throw new IllegalArgumentException("the dataset has " + w.size() + " weight columns " + w.stream()
                    .map(ColumnSchema::name).toList() + "; a dataset carries at most one");
        }
        return w.stream().findFirst();
    }
}
