package dev.candor.stages.data;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The schema of a dataset artifact, stored as {@code schema.json} beside the split files.
 *
 * <p>In the Avro files, column {@code i} is field {@code c<i>} (Avro field names cannot hold every character a CSV
 * header can), its original name in the field's doc; field {@code _row} holds the 1-based line of the row in the
 * source file (the header is line 1), so every prediction can be traced back to its source row.
 *
 * @param source  the source file name (not its full path: artifacts must not depend on where the data sat)
 * @param sha256  the source file's content hash
 * @param columns the columns, in source order
 * @param label   the name of the label column
 * @param classes the label's classes, sorted; the order every model's probability outputs follow
 */
public record DatasetSchema(String source, String sha256, List<ColumnSchema> columns, String label, List<String> classes) {
    public DatasetSchema {
        columns = List.copyOf(columns);
        classes = List.copyOf(classes);
        long labels = columns.stream().filter(c -> c.role() == ColumnRole.LABEL).count();
        if (labels != 1) throw new IllegalArgumentException("a dataset needs exactly one label column, found " + labels);
        if (!columns.get(indexOf(columns, label)).role().equals(ColumnRole.LABEL)) {
            throw new IllegalArgumentException("column '" + label + "' is not the label column");
        }
    }

    public int indexOf(String name) {
        return indexOf(columns, name);
    }

    public ColumnSchema column(String name) {
        return columns.get(indexOf(name));
    }

    public int labelIndex() {
        return indexOf(label);
    }

    /** The columns models use, in source order. */
    public List<ColumnSchema> modelInputs() {
        return columns.stream().filter(ColumnSchema::isModelInput).collect(Collectors.toUnmodifiableList());
    }

    public List<ColumnSchema> protectedAttributes() {
        return columns.stream().filter(c -> c.role() == ColumnRole.PROTECTED).collect(Collectors.toUnmodifiableList());
    }

    /** The Avro field name of column {@code i}. */
    public static String fieldName(int i) {
        return "c" + i;
    }

    private static int indexOf(List<ColumnSchema> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) return i;
        }
        throw new IllegalArgumentException("no column named '" + name + "'; columns are "
                + columns.stream().map(ColumnSchema::name).collect(Collectors.joining(", ")));
    }
}
