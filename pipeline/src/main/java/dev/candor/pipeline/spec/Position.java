package dev.candor.pipeline.spec;

/**
 * A place in a pipeline file, 1-based like an editor shows it.
 *
 * @param line   the line, from 1
 * @param column the column, from 1
 */
public record Position(int line, int column) implements Comparable<Position> {
    public Position {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column start at 1, got " + line + ":" + column);
        }
    }

    /** The start of the file, for errors that belong to no node (an empty file, a file that is not UTF-8). */
    public static Position start() {
        return new Position(1, 1);
    }

    @Override
    public int compareTo(Position other) {
        return line != other.line ? Integer.compare(line, other.line) : Integer.compare(column, other.column);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
