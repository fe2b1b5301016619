package dev.candor.stages.model;

import dev.candor.stages.data.DatasetSchema;
import java.util.List;

/**
 * Turns dataset rows into the float vectors a model takes: numeric columns standardized with training-split
 * statistics, categorical columns one-hot encoded. The feature order is the model's input order; the encoder is
 * stored in the ONNX model's metadata ({@link ModelMetadata#PREPROCESSING}), so a model file explains how to feed it.
 *
 * @param features the model inputs, in the model's input order
 */
public record FeatureEncoder(List<EncodedFeature> features) {
    public FeatureEncoder {
        features = List.copyOf(features);
        if (features.isEmpty()) throw new IllegalArgumentException("a model needs at least one feature");
    }

    public int width() {
        return features.size();
    }

    public List<String> names() {
        return features.stream().map(EncodedFeature::name).toList();
    }

    /** Source column index per feature, resolved once against a schema; pass it to {@link #encode}. */
    public int[] columnIndexes(DatasetSchema schema) {
        int[] idx = new int[features.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = schema.indexOf(features.get(i).column());
        return idx;
    }

    /**
     * Encodes one row.
     *
     * @param values  the row's values in schema order ({@code Double} or {@code String})
     * @param columns from {@link #columnIndexes}
     * @param out     receives {@link #width()} values
     */
    public void encode(Object[] values, int[] columns, float[] out) {
        for (int i = 0; i < out.length; i++) {
            EncodedFeature f = features.get(i);
            Object v = values[columns[i]];
            out[i] = switch (f.kind()) {
                case STANDARDIZED -> (float) ((((Number) v).doubleValue() - f.mean()) / f.scale());
                case ONE_HOT -> f.category().equals(v) ? 1f : 0f;
            };
        }
    }
}
