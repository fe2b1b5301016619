package dev.candor.stages.ingest;

import dev.candor.stages.data.ColumnType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The type of every kept column, declared or inferred from the whole file, with the evidence (how many values are
 * numbers), so an error in a numeric column can say why the column is numeric.
 *
 * <p>A number is a plain decimal within ±{@value Float#MAX_VALUE}, the range of the 32-bit floats a model reads.
 * {@code NaN}, {@code NA}, {@code null} and the like are not numbers and never mean "missing" (a missing value is an
 * empty field, and {@code missing:} decides what happens to it); infinities are not numbers either. Such markers
 * do not count against a column being numeric, so each is reported with its row rather than silently turning a
 * numeric column into a categorical one.
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
    /** What spreadsheets, R, pandas and databases write for "no value", lower-cased. */
    private static final Set<String> MISSING_MARKERS = Set.of("nan", "-nan", "+nan", "na", "n/a", "#n/a", "null",
            "none", "nil", "missing", "?");
    private static final Set<String> INFINITIES = Set.of("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity",
            "∞", "+∞", "-∞");
    private static final int MARKER_LENGTH = 9;

    /**
     * @param type     the column's type
     * @param declared whether the type was fixed beforehand: declared by the user, or set by the column's role
     * @param nonEmpty how many fields are not empty
     * @param numbers  how many of those are numbers
     * @param empty    how many fields are empty
     * @param markers  how many fields hold a marker such as NaN, NA or inf (see {@link #marker(String)})
     */
    record Inferred(ColumnType type, boolean declared, long nonEmpty, long numbers, long empty, long markers)
            implements Serializable {
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
                + c.nonEmpty() + " values are numbers" + (c.markers() == 0 ? "" : " (" + c.markers()
                + " more hold markers such as NaN or NA)") + " — correct the value, or declare it `categorical` under"
                + " `columns:` if it is";
    }

    /** Why a number that overflows a model's 32-bit float input is an error. */
    static String outOfRange() {
        return "expected a number within ±3.4e38 (±" + Float.MAX_VALUE + ", the largest 32-bit float, which is what"
                + " a model reads; beyond it the value would turn infinite) — correct the value; if it stands for"
                + " 'unknown', leave the field empty and let `missing:` decide";
    }

    /**
     * Why a marker in a numeric column is an error, in words, or null when {@code field} is no marker: NaN, NA,
     * null and the like are not read as missing values (that is the empty field's role), infinities are not data.
     */
    static String marker(String field) {
        String t = field.strip();
        if (t.length() > MARKER_LENGTH) return null;
        String s = t.toLowerCase(Locale.ROOT);
        if (MISSING_MARKERS.contains(s)) {
            return "expected a number: Candor never reads '" + t + "' as a missing value, only an"
                    + " empty field — if the value is unknown, leave the field empty (then `missing:` decides: error,"
                    + " drop, impute-mean or impute-mode); otherwise write the number";
        }
        if (INFINITIES.contains(s)) {
            return "expected a finite number: an infinite value cannot be standardized, averaged or imputed — write a finite"
                    + " number, or leave the field empty if it is unknown (then `missing:` decides)";
        }
        return null;
    }

    static boolean isEmpty(String field) {
        return field.isBlank();
    }

    /**
     * The number in a field, or null when it holds none (surrounding spaces are allowed). The number may be beyond
     * what a model takes, even infinite ({@code 1e400}): check it with {@link #inRange(double)}.
     */
    static Double parseNumber(String field) {
        String s = field.strip();
        return NUMBER.matcher(s).matches() ? Double.valueOf(s) : null;
    }

    /** Whether a parsed number fits a model's 32-bit float input (and is therefore finite). */
    static boolean inRange(double x) {
        return Math.abs(x) <= Float.MAX_VALUE;
    }

    /** Whether column {@code column} is empty in every row read (there being some rows). */
    boolean allEmpty(int column) {
        return rows > 0 && columns.get(column).nonEmpty() == 0;
    }

    /**
     * Reports each column that is empty in every row, once, instead of once per row: a feature with no value carries
     * nothing to learn from, a label or protected attribute with none cannot be used at all.
     */
    static final class EmptyColumnsFn extends DoFn<ColumnTypes, Issue> {
        private final ColumnLayout layout;

        EmptyColumnsFn(ColumnLayout layout) {
            this.layout = layout;
        }

        @ProcessElement
        public void process(@Element ColumnTypes types, OutputReceiver<Issue> out) {
            for (int i = 0; i < layout.size(); i++) {
                if (!types.allEmpty(i)) continue;
                ColumnLayout.Column c = layout.column(i);
                String empty = "the column is empty in every one of the " + types.rows() + " rows";
                out.output(Issue.ofFile(c.name(), switch (c.role()) {
                    case LABEL -> empty + ", so there is nothing to learn — check that `label:` names the right column"
                            + " and that the export filled it in";
                    case PROTECTED -> empty + ", so fairness cannot be measured on it — fill it in, or remove it from"
                            + " `protected:`";
                    case ID -> empty + " — fill it in, or leave `id:` out";
                    default -> empty + ", so it carries nothing to learn from — list it under `ignore:` to leave it"
                            + " out, or fix the export that left it empty";
                }));
            }
        }
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
            final long[] markers;

            Acc(int columns) {
                empty = new long[columns];
                numbers = new long[columns];
                markers = new long[columns];
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
                if (isEmpty(field)) {
                    acc.empty[i]++;
                } else if (layout.column(i).fixedType() == null) {
                    if (parseNumber(field) != null) acc.numbers[i]++;
                    else if (marker(field) != null) acc.markers[i]++;
                }
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
                    merged.markers[i] += a.markers[i];
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
                // Markers (NaN, NA, inf) neither make a column categorical nor numeric: they are judged per row.
                long judged = nonEmpty - acc.markers[i];
                ColumnType type = declared != null ? declared
                        : judged > 0 && acc.numbers[i] >= NUMERIC_SHARE * judged ? ColumnType.NUMERIC
                        : ColumnType.CATEGORICAL;
                columns.add(new Inferred(type, declared != null, nonEmpty, acc.numbers[i], acc.empty[i], acc.markers[i]));
            }
            return new ColumnTypes(acc.rows, columns);
        }
    }
}
