package dev.candor.stages.data;

/** How a column's values are stored: numbers as Avro doubles, categories as Avro strings. */
public enum ColumnType {
    NUMERIC, CATEGORICAL
}
