package dev.candor.stages.fairness;

import dev.candor.explain.fairness.GroupThresholds.Criterion;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Required;
import java.util.List;

/** Configuration of {@code fairness.thresholds}. */
@Doc("Chooses one decision threshold per group on the validation split to equalize a fairness criterion")
public record ThresholdsConfig(
        @Required @Doc("The protected attribute whose groups get their own thresholds, e.g. sex") String attribute,
        @Doc("Bin edges when the attribute is numeric, e.g. [0, 25, 60, 200]") List<Double> bins,
        @Required @Doc("The favourable class, e.g. good") String favourable,
        @Doc("demographic-parity (equal selection rates) or equal-opportunity (equal true positive rates; default)") Criterion criterion,
        @Doc("The largest acceptable gap between the groups' rates (default 0.02)") Double tolerance) {

    public static final double DEFAULT_TOLERANCE = 0.02;

    public ThresholdsConfig {
        if (attribute == null || attribute.isBlank()) {
            throw new ConfigException("attribute", "is required: the protected attribute, e.g. sex");
        }
        bins = bins == null ? List.of() : List.copyOf(bins);
        if (favourable == null || favourable.isBlank()) {
            throw new ConfigException("favourable", "is required: the class a group member hopes for, e.g. good");
        }
        criterion = criterion == null ? Criterion.EQUAL_OPPORTUNITY : criterion;
        tolerance = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw new ConfigException("tolerance", "must be in [0, 1], got " + tolerance);
        }
    }
}
