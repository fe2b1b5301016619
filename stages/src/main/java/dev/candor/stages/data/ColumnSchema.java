package dev.candor.stages.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * One column of a dataset.
 *
 * @param name       the column name as in the source (any characters)
 * @param type       numeric or categorical
 * @param role       feature, label, id, protected or ignored
 * @param featureToo for a PROTECTED column: whether models may also use it as a feature
 * @param categories for a categorical column, its levels seen in the data, sorted; empty for numeric columns
 */
public record ColumnSchema(String name, ColumnType type, ColumnRole role, boolean featureToo, List<String> categories) {
    public ColumnSchema {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a column needs a name");
        if (type == null || role == null) throw new IllegalArgumentException("column '" + name + "' needs a type and a role");
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    /** Whether models use this column as an input. Derived, so not written to {@code schema.json}. */
    @JsonIgnore
    public boolean isModelInput() {
        return role == ColumnRole.FEATURE || (role == ColumnRole.PROTECTED && featureToo);
    }
}
