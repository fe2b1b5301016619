package dev.candor.stages.ingest;

import dev.candor.stages.data.ColumnType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The type of every kept column, declared or inferred from the whole file, with the evidence (how many values are
 * numbers), so an error in a numeric column can say why the column is numeric.
 *
 * @param rows    the data rows with the right number of fields
 * @param columns one entry per kept column, in {@link ColumnLayout} order
 */
@DefaultCoder(SerializableCoder.class)
record ColumnTypes(long rows, List<Inferred> columns) implements Serializable {

    /** A column is numeric when at least this share of its non-empty values are numbers; the rest are then errors. */
    static final double NUMERIC_SHARE = 0.95;

    /** Plain decimal numbers only: Java's parser would also take "NaN", "Infinity", "1d" and hex, which are not data. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * @param type     the column's type
     * @param declared whether the type was fixed beforehand: declared by the user, or set by the column's role
     * @param nonEmpty how many fields are not empty
     * @param numbers  how many of those are numbers
     * @param empty    how many fields are empty
     */
    record Inferred(ColumnType type, boolean declared, long nonEmpty, long numbers, long empty) implements Serializable {
    }

    ColumnTypes {
        columns = List.copyOf(columns);
    }

    ColumnType type(int column) {
        return columns.get(column).type();
    }

    /** Why a word in numeric column {@code column} is an error, and how to fix it. */
    String whyNumeric(ColumnLayout layout, int column) {
        Inferred c = columns.get(column);
        String name = layout.column(column).name();
        if (c.declared()) {
            return "expected a number: column '" + name + "' is declared numeric under `columns:` — correct the value,"
                    + " or declare the column `categorical`";
        }
        return "expected a number: column '" + name + "' was inferred numeric because " + c.numbers() + " of "
                + c.nonEmpty() + " values are numbers — correct the value, or declare it `categorical` under"
                + " `columns:` if it is";
    }

    static boolean isEmpty(String field) {
        return field.isBlank();
    }

    /** The number in a field, or null when it holds none (surrounding spaces are allowed). */
    static Double parseNumber(String field) {
        String s = field.strip();
        return NUMBER.matcher(s).matches() ? Double.valueOf(s) : null;
    }

    /**
     * Counts, per column, empty fields and numbers, and decides the types: declared ones stand; an undeclared
     * column is numeric when it has values and at least {@link #NUMERIC_SHARE} of them are numbers.
     */
    static final class InferFn extends Combine.CombineFn<CsvRow, InferFn.Acc, ColumnTypes> {
        private final ColumnLayout layout;

        InferFn(ColumnLayout layout) {
            this.layout = layout;
        }

        @DefaultCoder(SerializableCoder.class)
        static final class Acc implements Serializable {
            long rows;
            final long[] empty;
            final long[] numbers;

            Acc(int columns) {
                empty = new long[columns];
                numbers = new long[columns];
            }
        }

        @Override
        public Acc createAccumulator() {
            return new Acc(layout.size());
        }

        @Override
        public Acc addInput(Acc acc, CsvRow row) {
            acc.rows++;
            for (int i = 0; i < layout.size(); i++) {
                String field = row.fields().get(i);
                if (isEmpty(field)) acc.empty[i]++;
                else if (layout.column(i).fixedType() == null && parseNumber(field) != null) acc.numbers[i]++;
            }
            return acc;
        }

        @Override
        public Acc mergeAccumulators(Iterable<Acc> accs) {
            Acc merged = createAccumulator();
            for (Acc a : accs) {
                merged.rows += a.rows;
                for (int i = 0; i < layout.size(); i++) {
                    merged.empty[i] += a.empty[i];
                    merged.numbers[i] += a.numbers[i];
                }
            }
            return merged;
        }

        @Override
        public ColumnTypes extractOutput(Acc acc) {
            List<Inferred> columns = new ArrayList<>(layout.size());
            for (int i = 0; i < layout.size(); i++) {
                ColumnType declared = layout.column(i).fixedType();
                long nonEmpty = acc.rows - acc.empty[i];
                ColumnType type = declared != null ? declared
                        : nonEmpty > 0 && acc.numbers[i] >= NUMERIC_SHARE * nonEmpty ? ColumnType.NUMERIC
                        : ColumnType.CATEGORICAL;
                columns.add(new Inferred(type, declared != null, nonEmpty, acc.numbers[i], acc.empty[i]));
            }
            return new ColumnTypes(acc.rows, columns);
        }
    }
}
