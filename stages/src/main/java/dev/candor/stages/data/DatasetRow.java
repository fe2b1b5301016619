package dev.candor.stages.data;

/**
 * One row of a dataset split, held in memory.
 *
 * @param sourceRow the 1-based line in the source file
 * @param values    one value per schema column, in schema order: {@code Double} for numeric, {@code String} for
 *                  categorical; never null (missing values were handled at ingestion)
 */
public record DatasetRow(long sourceRow, Object[] values) {
    public double number(int column) {
        return (Double) values[column];
    }

    public String category(int column) {
        return (String) values[column];
    }
}
