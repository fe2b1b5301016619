package dev.candor.stages.train;

import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.WeightColumn;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataException;
import java.util.List;
import java.util.Optional;
import org.tribuo.Trainer;
import org.tribuo.WeightedExamples;
import org.tribuo.classification.Label;

/**
 * The per-example weights of a training split, from its {@link WeightColumn} (absent: every row
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
        return WeightColumn.name(schema).orElseThrow(() -> new IllegalArgumentException("the dataset has no weight column"));
    }

    /**
     * The weights of {@code rows} ({@link WeightColumn#values}), or empty when the dataset has no weight column.
     *
     * @throws ConfigException when the trainer does not honour weights
     * @throws DataException   for a weight that is negative, NaN or infinite, or when all weights are 0
     */
    static Optional<float[]> of(DatasetSchema schema, List<DatasetRow> rows, String file, Trainer<Label> trainer,
                                Algorithm algorithm) {
        Optional<String> column = WeightColumn.name(schema);
        if (column.isPresent() && !(trainer instanceof WeightedExamples)) {
            throw new ConfigException("algorithm", algorithm.label() + " does not honour example weights (Tribuo's"
                    + " random forest bootstraps rows ignoring them), but the dataset carries the weight column '"
                    + column.get() + "'; train logistic-regression, cart or xgboost on it, or train the forest"
                    + " on the unweighted dataset");
        }
        return WeightColumn.values(schema, rows, file);
    }
}
