package dev.candor.stages.spi;

import java.util.List;

/**
 * Bad input data, with the place: file, row (1-based line in the file, the header being row 1), column, the value
 * found and what was expected. One exception may carry several problems; {@link #getMessage()} lists the first
 * {@value #MAX_LISTED} and says how many more there are. Values and column names are shown through {@link Excerpt},
 * so the message stays short whatever the data holds.
 */
public class DataException extends RuntimeException {
    /** The most problems one message lists. */
    public static final int MAX_LISTED = 20;
    /** The most characters of one expectation: a safety net for a caller that embeds too much. */
    static final int MAX_EXPECTATION = 2_000;

    /**
     * One problem in the data. Row and column may be absent (0 and null) for whole-file problems. The value and the
     * column name are cut by {@link Excerpt#of(String)} here, whoever builds the problem.
     */
    public record Problem(String file, long row, String column, String value, String expectation) {
        public Problem {
            column = Excerpt.of(column);
            value = Excerpt.of(value);
            expectation = Excerpt.of(expectation, MAX_EXPECTATION);
        }

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
        this.problems = List.copyOf(problems.subList(0, Math.min(problems.size(), MAX_LISTED)));
        this.totalProblems = Math.max(totalProblems, problems.size());
    }

    public DataException(String file, long row, String column, String value, String expectation) {
        this(List.of(new Problem(file, row, column, value, expectation)), 1);
    }

    /** The problems listed in the message: the first {@value #MAX_LISTED} at most. */
    public List<Problem> problems() {
        return problems;
    }

    /** How many problems were found in all, listed or not. */
    public long totalProblems() {
        return totalProblems;
    }

    private static String format(List<Problem> problems, long total) {
        StringBuilder sb = new StringBuilder();
        int listed = Math.min(problems.size(), MAX_LISTED);
        for (Problem p : problems.subList(0, listed)) {
            if (sb.length() > 0) sb.append('\n');
            sb.append(p);
        }
        long more = Math.max(total, problems.size()) - listed;
        if (more > 0) sb.append('\n').append("… and ").append(more).append(" more problem").append(more == 1 ? "" : "s");
        return sb.toString();
    }
}
