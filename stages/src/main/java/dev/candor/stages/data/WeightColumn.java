package dev.candor.stages.data;

import dev.candor.stages.spi.DataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The example weights a dataset carries in its {@link ColumnRole#WEIGHT} column (written by a reweighing stage), read
 * and checked once for every trainer: at most one such column, every weight a finite number &gt;= 0, not all 0.
 */
public final class WeightColumn {
    /** Problems listed in one error before the rest are only counted. */
    private static final int MAX_LISTED = 10;

    private WeightColumn() {
    }

    /**
     * The weight column's name, or empty when the dataset has none.
     *
     * @throws IllegalArgumentException when the schema has more than one
     */
    public static Optional<String> name(DatasetSchema schema) {
        List<ColumnSchema> w = schema.columns().stream().filter(c -> c.role() == ColumnRole.WEIGHT).toList();
        if (w.size() > 1) {
            throw new IllegalArgumentException("the dataset has " + w.size() + " weight columns " + w.stream()
                    .map(ColumnSchema::name).toList() + "; a dataset carries at most one");
        }
        return w.stream().findFirst().map(ColumnSchema::name);
    }

    /**
     * The weights of {@code rows}, or empty when the dataset has no weight column.
     *
     * @param file the split's file, for errors
     * @throws DataException naming file, row and column for weights that are not finite numbers &gt;= 0 (the first
     *                       {@value #MAX_LISTED}, and how many in all), or when every weight is 0
     */
    public static Optional<float[]> values(DatasetSchema schema, List<DatasetRow> rows, String file) {
        Optional<String> name;
        try {
            name = name(schema);
        } catch (IllegalArgumentException e) {
            throw new DataException(file, 0, null, null, e.getMessage());
        }
        if (name.isEmpty()) return Optional.empty();
        String column = name.get();
        int idx = schema.indexOf(column);
        float[] w = new float[rows.size()];
        List<DataException.Problem> problems = new ArrayList<>();
        long bad = 0;
        double total = 0;
        for (int r = 0; r < w.length; r++) {
            Object v = rows.get(r).values()[idx];
            double d = v instanceof Double x ? x : Double.NaN;
            if (!(d >= 0 && d < Double.POSITIVE_INFINITY)) {
                if (problems.size() < MAX_LISTED) {
                    problems.add(new DataException.Problem(file, rows.get(r).sourceRow(), column, String.valueOf(v),
                            "an example weight: a finite number >= 0"));
                }
                bad++;
            }
            w[r] = (float) d;
            total += d;
        }
        if (bad > 0) throw new DataException(problems, bad);
        if (total == 0) {
            throw new DataException(file, 0, column, "0", "at least one positive weight; every row weighs 0, so there"
                    + " is nothing to learn from");
        }
        return Optional.of(w);
    }
}
