package dev.candor.stages.ingest;

import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.Excerpt;
import java.io.Serializable;
import java.util.Comparator;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/**
 * One problem found in the data, as it travels through the pipeline ({@link DataException.Problem} is not
 * serializable). Ordered by row, then column, so the first problems reported are the first in the file, whatever
 * order Beam processed the bundles in.
 *
 * @param row         the 1-based line of the row (the header is 1), or 0 for a problem of the whole file
 * @param column      the column's index among the kept columns, or -1
 * @param columnName  the column's name, or null
 * @param value       the value found, or null
 * @param expectation what was expected and how to fix it
 * @param endsReading whether the file could not be read past this problem (broken quoting, a wrong encoding): then
 *                    what the rows read say about the whole file (class counts, empty columns) is not reported
 */
@DefaultCoder(SerializableCoder.class)
record Issue(long row, int column, String columnName, String value, String expectation, boolean endsReading)
        implements Serializable, Comparable<Issue> {

    private static final Comparator<Issue> ORDER = Comparator.comparingLong(Issue::row)
            .thenComparingInt(Issue::column)
            .thenComparing(Issue::expectation)
            .thenComparing(i -> i.value() == null ? "" : i.value());

    Issue {
        // Cut here, not only in the message: the first problems travel through Beam and sit in its accumulators.
        columnName = Excerpt.of(columnName);
        value = Excerpt.of(value);
    }

    /** A problem in one row (and column, when {@code column >= 0}). */
    Issue(long row, int column, String columnName, String value, String expectation) {
        this(row, column, columnName, value, expectation, false);
    }

    /** A problem of the whole file or of a whole column, concluded from every row read. */
    static Issue ofFile(String columnName, String expectation) {
        return new Issue(0, -1, columnName, null, expectation);
    }

    /** A problem at {@code row} that stops the reading of the file there. */
    static Issue endOfReading(long row, String expectation) {
        return new Issue(row, -1, null, null, expectation, true);
    }

    /** Whether this is a conclusion about the whole file, drawn from the rows read. */
    boolean wholeFile() {
        return row == 0;
    }

    DataException.Problem toProblem(String file) {
        return new DataException.Problem(file, row, columnName, value, expectation);
    }

    @Override
    public int compareTo(Issue o) {
        return ORDER.compare(this, o);
    }
}
