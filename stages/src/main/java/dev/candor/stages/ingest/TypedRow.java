package dev.candor.stages.ingest;


/**
 * One row after typing: {@code Double} for numeric columns, {@code String} for categorical ones, in
 * {@link ColumnLayout} order; null where the field was empty and the policy imputes (until imputation fills it).
 *
 * @param row    the 1-based line where the row starts in the file
 * @param values the typed values
 */
record TypedRow(long row, Object[] values) {

    String category(int column) {
        return (String) values[column];
    }
}
