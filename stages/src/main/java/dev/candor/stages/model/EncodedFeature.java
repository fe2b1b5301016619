package dev.candor.stages.model;

/**
 * One model input, computed from one dataset column.
 *
 * @param name     the input's name: the column name for numbers, {@code column=level} for a one-hot level
 * @param column   the source column name
 * @param kind     how the value is computed
 * @param mean     for {@link Kind#STANDARDIZED}: the training-split mean subtracted
 * @param scale    for {@link Kind#STANDARDIZED}: the training-split standard deviation divided by (1 when it is 0)
 * @param category for {@link Kind#ONE_HOT}: the level that gives 1 (every other level, unseen ones included, gives 0)
 */
public record EncodedFeature(String name, String column, Kind kind, double mean, double scale, String category) {
    public enum Kind { STANDARDIZED, ONE_HOT }

    public EncodedFeature {
        if (kind == Kind.STANDARDIZED && !(scale > 0)) {
            throw new IllegalArgumentException("feature '" + name + "': scale must be > 0, got " + scale);
        }
        if (kind == Kind.ONE_HOT && category == null) {
            throw new IllegalArgumentException("feature '" + name + "': a one-hot feature needs its category");
        }
    }

    public static EncodedFeature standardized(String column, double mean, double std) {
        return new EncodedFeature(column, column, Kind.STANDARDIZED, mean, std > 0 ? std : 1.0, null);
    }

    public static EncodedFeature oneHot(String column, String category) {
        return new EncodedFeature(column + "=" + category, column, Kind.ONE_HOT, 0, 1, category);
    }
}
