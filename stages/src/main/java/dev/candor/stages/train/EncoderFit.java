package dev.candor.stages.train;

import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.model.EncodedFeature;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.Excerpt;
import dev.candor.stages.model.FeatureEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fits a {@link FeatureEncoder} on the training split: numeric model inputs standardized with the training mean and
 * (population) standard deviation, categorical ones one-hot over the levels the schema lists. Only the training split
 * is looked at, so nothing about the validation or test rows leaks into the model.
 */
public final class EncoderFit {
    private EncoderFit() {
    }

    /** The encoder, with features in schema order (numeric: one feature; categorical: one per level, in level order). */
    public static FeatureEncoder fit(DatasetSchema schema, List<DatasetRow> train) {
        if (train.isEmpty()) throw new IllegalArgumentException("cannot fit an encoder on an empty training split");
        List<EncodedFeature> features = new ArrayList<>();
        List<ColumnSchema> inputs = schema.modelInputs();
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("the dataset has no model inputs: every column is the label, an id, "
                    + "a protected attribute or ignored. Mark at least one column as a feature at ingestion");
        }
        for (ColumnSchema c : inputs) {
            int idx = schema.indexOf(c.name());
            if (c.type() == ColumnType.NUMERIC) {
                double sum = 0;
                for (DatasetRow r : train) sum += r.number(idx);
                double mean = sum / train.size();
                double squares = 0;
                for (DatasetRow r : train) {
                    double d = r.number(idx) - mean;
                    squares += d * d;
                }
                features.add(EncodedFeature.standardized(c.name(), mean, Math.sqrt(squares / train.size())));
            } else {
                if (c.categories().isEmpty()) {
                    throw new IllegalArgumentException("categorical column '" + c.name()
                            + "' lists no categories in the dataset schema; re-ingest the data");
                }
                for (String level : c.categories()) features.add(EncodedFeature.oneHot(c.name(), level));
            }
        }
        Set<String> seen = new HashSet<>();
        for (EncodedFeature f : features) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("two model inputs would both be named '" + f.name()
                        + "' (a numeric column and a one-hot level of column '" + f.column()
                        + "'); rename one of the columns");
            }
        }
        return new FeatureEncoder(features);
    }

    /**
     * Refuses a training split in which every model input has a single value: a model trained on it could learn
     * nothing but the class balance, and would look like a model all the same.
     *
     * @throws DataException naming the inputs and their one value
     */
    public static void requireVariation(DatasetSchema schema, List<DatasetRow> train, String file) {
        List<String> constant = new ArrayList<>();
        for (ColumnSchema c : schema.modelInputs()) {
            int idx = schema.indexOf(c.name());
            Object first = train.isEmpty() ? null : train.get(0).values()[idx];
            for (DatasetRow r : train) {
                if (!sameValue(first, r.values()[idx])) return;
            }
            constant.add(Excerpt.of(c.name()) + " = " + (first instanceof String text ? "'" + Excerpt.of(text) + "'" : first));
        }
        if (constant.isEmpty()) return;
        throw new DataException(file, 0, null, null, "every model input has a single value in all " + train.size()
                + " training rows (" + Excerpt.list(constant) + "), so a model could learn nothing but the class"
                + " balance — check the data (ingestion warns about each constant column) and add columns that vary");
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        return java.util.Objects.equals(a, b);
    }

    /** The same features in the given order of names, which must be a permutation of the encoder's names. */
    static FeatureEncoder reorder(FeatureEncoder encoder, List<String> order) {
        Map<String, EncodedFeature> byName = new HashMap<>();
        for (EncodedFeature f : encoder.features()) byName.put(f.name(), f);
        List<EncodedFeature> out = new ArrayList<>(order.size());
        for (String name : order) {
            EncodedFeature f = byName.remove(name);
            if (f == null) throw new IllegalStateException("the model has a feature '" + name + "' the encoder lacks");
            out.add(f);
        }
        if (!byName.isEmpty()) {
            throw new IllegalStateException("the model lacks encoder features " + byName.keySet());
        }
        return new FeatureEncoder(out);
    }
}
