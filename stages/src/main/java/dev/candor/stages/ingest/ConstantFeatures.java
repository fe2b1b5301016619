package dev.candor.stages.ingest;

import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Split;
import dev.candor.stages.spi.Excerpt;
import dev.candor.stages.spi.FindingSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Warns about model inputs that hold a single value in the training split: they cannot tell the classes apart, and
 * are usually an export gone wrong (a column filled with its default). They are kept: a constant input changes no
 * prediction, and the model's inputs stay the file's columns. Training refuses a dataset in which every input is
 * constant ({@code EncoderFit.requireVariation}).
 */
final class ConstantFeatures {
    static final String CODE = "data.constant_feature";
    /** How many constant columns get a warning of their own. */
    static final int NAMED = Excerpt.MAX_ITEMS;

    private ConstantFeatures() {
    }

    /**
     * One warning per constant model input, from the training split's statistics: the first {@value #NAMED} one by
     * one, the rest in one more warning (an image's border pixels can be constant by the dozen).
     */
    static void report(DatasetSchema schema, IngestStatistics stats, String file, FindingSink findings) {
        List<String> rest = new ArrayList<>();
        int named = 0;
        for (ColumnSchema c : schema.modelInputs()) {
            IngestStatistics.ColumnStatistics column = stats.columns().stream()
                    .filter(s -> s.name().equals(c.name())).findFirst().orElseThrow();
            IngestStatistics.SplitColumn train = column.splits().get(Split.TRAIN.label());
            if (train == null || train.count() == 0) continue;
            String value = null;
            if (c.type() == ColumnType.NUMERIC && train.min() != null && train.min().equals(train.max())) {
                value = Double.toString(train.min());
            } else if (c.type() == ColumnType.CATEGORICAL && train.categories() != null && train.categories().size() == 1) {
                value = "'" + Excerpt.of(train.categories().keySet().iterator().next()) + "'";
            }
            if (value == null) continue;
            if (named < NAMED) {
                named++;
                findings.warn(CODE, c.name(), "column '" + Excerpt.of(c.name()) + "' of " + file + " has a single value, "
                        + value + ", in all " + train.count() + " rows of the training split that have one, so it cannot"
                        + " tell the classes apart; it is kept as a model input (a constant input changes no prediction)"
                        + " — check the export, or list it under `ignore:` to leave it out");
            } else {
                rest.add(c.name());
            }
        }
        if (!rest.isEmpty()) {
            findings.warn(CODE, null, rest.size() + " more columns of " + file + " have a single value in the training"
                    + " split: " + Excerpt.list(rest) + "; they are kept as model inputs — list them under `ignore:` to"
                    + " leave them out (statistics.json has every column's values)");
        }
    }
}
