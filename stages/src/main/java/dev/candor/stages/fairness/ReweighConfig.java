package dev.candor.stages.fairness;

import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Required;
import java.util.List;

/** Configuration of {@code fairness.reweigh}. */
@Doc("Adds a weight column that makes the training labels independent of a protected attribute (Kamiran & Calders 2012)")
public record ReweighConfig(
        @Required @Doc("The protected attribute to reweigh for, e.g. sex") String attribute,
        @Doc("Bin edges when the attribute is numeric, e.g. [0, 25, 60, 200]") List<Double> bins,
        @Doc("The favourable class (default: the first class; with two classes the weights do not depend on it)") String favourable,
        @Doc("The name of the weight column (default weight)") String column) {

    public static final String DEFAULT_COLUMN = "weight";

    public ReweighConfig {
        if (attribute == null || attribute.isBlank()) {
            throw new ConfigException("attribute", "is required: the protected attribute to reweigh for, e.g. sex");
        }
        bins = bins == null ? List.of() : List.copyOf(bins);
        if (bins.size() == 1) throw new ConfigException("bins", "needs at least two increasing edges, got " + bins);
        for (int i = 1; i < bins.size(); i++) {
            if (!(bins.get(i) > bins.get(i - 1))) {
                throw new ConfigException("bins", "must be strictly increasing, got " + bins);
            }
        }
        if (favourable != null && favourable.isBlank()) {
            throw new ConfigException("favourable", "is blank: name a class, or leave the key out");
        }
        column = column == null ? DEFAULT_COLUMN : column;
        if (column.isBlank()) throw new ConfigException("column", "is blank: name the weight column, e.g. weight");
    }
}
