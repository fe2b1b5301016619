package dev.candor.stages.ingest;

import dev.candor.stages.data.ColumnRole;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The statistics of one split (or of several, merged), over the values present before imputation: per column the
 * count, the empty fields, and either the numeric moments or the category counts.
 *
 * <p>Sums are kept exactly, as {@link BigDecimal}s (every double is a finite binary fraction), so the mean and the
 * standard deviation come out bit for bit the same whichever order Beam adds and merges the rows in. A plain double
 * sum would not: floating-point addition is not associative.
 */
@DefaultCoder(SerializableCoder.class)
final class SplitStats implements Serializable {
    private static final MathContext PRECISION = MathContext.DECIMAL128;

    long rows;
    final Column[] columns;

    /**
     * @param keepCategories per column, whether to count its categories (not for an id: one category per row)
     * @param countNumbers   whether to count numeric values' frequencies (needed for a numeric mode)
     */
    SplitStats(boolean[] keepCategories, boolean countNumbers) {
        this.columns = new Column[keepCategories.length];
        for (int i = 0; i < columns.length; i++) this.columns[i] = new Column(keepCategories[i], countNumbers);
    }

    /** Per kept column, whether its categories are counted: all but the id, whose every value is its own. */
    static boolean[] keepCategories(ColumnLayout layout) {
        boolean[] keep = new boolean[layout.size()];
        for (int i = 0; i < keep.length; i++) keep[i] = layout.column(i).role() != ColumnRole.ID;
        return keep;
    }

    void add(TypedRow row) {
        rows++;
        for (int i = 0; i < columns.length; i++) columns[i].add(row.values()[i]);
    }

    void merge(SplitStats other) {
        rows += other.rows;
        for (int i = 0; i < columns.length; i++) columns[i].merge(other.columns[i]);
    }

    /** One column's accumulator. A value is a Double (numeric column), a String (categorical) or null (empty). */
    static final class Column implements Serializable {
        private final boolean keepCategories;
        private final boolean countNumbers;
        long count;
        long missing;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal sumOfSquares = BigDecimal.ZERO;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        final TreeMap<String, Long> categories = new TreeMap<>();
        /** Frequencies of numeric values, kept only when a numeric mode is needed (impute-mode): they can be large. */
        final TreeMap<Double, Long> numbers = new TreeMap<>();

        Column(boolean keepCategories, boolean countNumbers) {
            this.keepCategories = keepCategories;
            this.countNumbers = countNumbers;
        }

        void add(Object value) {
            if (value == null) {
                missing++;
                return;
            }
            count++;
            if (value instanceof Double d) {
                BigDecimal x = new BigDecimal(d);
                sum = sum.add(x);
                sumOfSquares = sumOfSquares.add(x.multiply(x));
                min = Math.min(min, d);
                max = Math.max(max, d);
                if (countNumbers) numbers.merge(d, 1L, Long::sum);
            } else if (keepCategories) {
                categories.merge((String) value, 1L, Long::sum);
            }
        }

        void merge(Column o) {
            count += o.count;
            missing += o.missing;
            sum = sum.add(o.sum);
            sumOfSquares = sumOfSquares.add(o.sumOfSquares);
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
            o.categories.forEach((k, v) -> categories.merge(k, v, Long::sum));
            o.numbers.forEach((k, v) -> numbers.merge(k, v, Long::sum));
        }

        /** The mean of the numeric values; call only when {@code count > 0}. */
        double mean() {
            return sum.divide(BigDecimal.valueOf(count), PRECISION).doubleValue();
        }

        /** The sample standard deviation (n - 1 in the denominator), or NaN below two values. */
        double std() {
            if (count < 2) return Double.NaN;
            BigDecimal n = BigDecimal.valueOf(count);
            BigDecimal squaredDeviations = sumOfSquares.subtract(sum.multiply(sum).divide(n, PRECISION));
            BigDecimal variance = squaredDeviations.max(BigDecimal.ZERO).divide(n.subtract(BigDecimal.ONE), PRECISION);
            return variance.sqrt(PRECISION).doubleValue();
        }

        /** The most frequent category; ties go to the first in sort order, so the choice is reproducible. */
        String categoryMode() {
            return mode(categories);
        }

        /** The most frequent number (needs {@code countNumbers}); ties go to the smallest. */
        Double numberMode() {
            return mode(numbers);
        }

        private static <K> K mode(TreeMap<K, Long> counts) {
            K best = null;
            long bestCount = 0;
            for (Map.Entry<K, Long> e : counts.entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            return best;
        }
    }

    /** Accumulates the rows of each split. */
    static final class CombineFn extends Combine.CombineFn<TypedRow, SplitStats, SplitStats> {
        private final boolean[] keepCategories;
        private final boolean countNumbers;

        CombineFn(boolean[] keepCategories, boolean countNumbers) {
            this.keepCategories = keepCategories.clone();
            this.countNumbers = countNumbers;
        }

        @Override
        public SplitStats createAccumulator() {
            return new SplitStats(keepCategories, countNumbers);
        }

        @Override
        public SplitStats addInput(SplitStats acc, TypedRow row) {
            acc.add(row);
            return acc;
        }

        @Override
        public SplitStats mergeAccumulators(Iterable<SplitStats> accs) {
            SplitStats merged = createAccumulator();
            for (SplitStats a : accs) merged.merge(a);
            return merged;
        }

        @Override
        public SplitStats extractOutput(SplitStats acc) {
            return acc;
        }
    }
}
