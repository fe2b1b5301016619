package dev.candor.stages.spi;

import java.util.List;

/**
 * Bad input data, with the place: file, row (1-based line in the file, the header being row 1), column, the value
 * found and what was expected. One exception may carry several problems; {@link #getMessage()} lists them all.
 */
public class DataException extends RuntimeException {

    /** One problem in the data. Row and column may be absent (0 and null) for whole-file problems. */
    public record Problem(String file, long row, String column, String value, String expectation) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(file);
            if (row > 0) sb.append(": row ").append(row);
            if (column != null) sb.append(", column '").append(column).append('\'');
            sb.append(": ");
            if (value != null) sb.append("found '").append(value).append("' — ");
            sb.append(expectation);
            return sb.toString();
        }
    }

    private final List<Problem> problems;
    private final long totalProblems;

    public DataException(List<Problem> problems, long totalProblems) {
        super(format(problems, totalProblems));
        if (problems.isEmpty()) throw new IllegalArgumentException("a DataException needs at least one problem");
        this.problems = List.copyOf(problems);
        this.totalProblems = Math.max(totalProblems, problems.size());
    }

    public DataException(String file, long row, String column, String value, String expectation) {
        this(List.of(new Problem(file, row, column, value, expectation)), 1);
    }

    public List<Problem> problems() {
        return problems;
    }

    public long totalProblems() {
        return totalProblems;
    }

    private static String format(List<Problem> problems, long total) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            if (sb.length() > 0) sb.append('\n');
            sb.append(p);
        }
        if (total > problems.size()) {
            sb.append('\n').append("… and ").append(total - problems.size()).append(" more problems of the same kind");
        }
        return sb.toString();
    }
}
