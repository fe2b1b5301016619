package dev.candor.stages.ingest;

import java.util.List;

/**
 * One data row as read, before typing. Encoded by {@link RowCoders}.
 *
 * @param row    the 1-based line where the row starts in the file (the header is line 1)
 * @param fields the raw fields of the kept columns, in {@link ColumnLayout} order
 */
record CsvRow(long row, List<String> fields) {
}
