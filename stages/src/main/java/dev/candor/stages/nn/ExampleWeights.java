package dev.candor.stages.nn;

import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.spi.DataException;
import java.util.List;
import java.util.Optional;

/** The example weights of a split: the values of the column with role {@link ColumnRole#WEIGHT}, if any. */
final class ExampleWeights {
    private ExampleWeights() {
    }

    /**
     * @throws DataException naming file, row and column for a weight that is not a finite number &gt;= 0, or when
     *                       every weight is 0
     */
    static Optional<float[]> of(DatasetSchema schema, List<DatasetRow> rows, String file) {
        List<ColumnSchema> columns = schema.columns().stream().filter(c -> c.role() == ColumnRole.WEIGHT).toList();
        if (columns.isEmpty()) return Optional.empty();
        if (columns.size() > 1) {
            throw new DataException(file, 0, columns.get(1).name(), null, "at most one column with role weight, but the"
                    + " schema has " + columns.stream().map(ColumnSchema::name).toList() + "; keep one");
        }
        String name = columns.get(0).name();
        int column = schema.indexOf(name);
        float[] w = new float[rows.size()];
        double total = 0;
        for (int r = 0; r < w.length; r++) {
            Object v = rows.get(r).values()[column];
            double d = v instanceof Double x ? x : Double.NaN;
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new DataException(file, rows.get(r).sourceRow(), name, String.valueOf(v),
                        "an example weight: a finite number >= 0");
            }
            w[r] = (float) d;
            total += d;
        }
        if (total == 0) {
            throw new DataException(file, 0, name, "0", "example weights that are not all 0 (the model would learn from"
                    + " no row)");
        }
        return Optional.of(w);
    }
}
