package dev.candor.stages.ingest;

import dev.candor.stages.data.Split;
import dev.candor.stages.spi.Excerpt;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The stratified split: within each class, rows are ordered by a seeded hash of their source row and dealt out
 * test first, then validation, then train. The order depends on the seed and the row only, never on how Beam
 * bundled the rows, so the same file and seed always give the same split.
 *
 * @param validation the validation fraction
 * @param test       the test fraction
 */
record StratifiedSplit(double validation, double test) implements Serializable {

    /** How many rows of a class of {@code n} rows go to each split. */
    record Allocation(long train, long validation, long test) {
        boolean usable() {
            return train >= 1 && test >= 1;
        }
    }

    Allocation allocate(long n) {
        long t = Math.round(n * test);
        long v = Math.round(n * validation);
        return new Allocation(n - t - v, v, t);
    }

    /** The fewest rows a class needs for one train row and one test row. */
    long minimumRows() {
        long n = 1;
        while (!allocate(n).usable()) n++;
        return n;
    }

    /**
     * The order key of a row: Stafford's "Mix13" 64-bit finaliser (the one {@link java.util.SplittableRandom}
     * uses) over the seed and the row, so neighbouring rows land far apart.
     */
    static long rank(long seed, long row) {
        long z = seed + (row + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Deals out the rows of one class (the input is grouped by class). */
    static final class AssignFn extends DoFn<KV<String, Iterable<TypedRow>>, KV<String, TypedRow>> {
        private final StratifiedSplit split;
        private final long seed;

        AssignFn(StratifiedSplit split, long seed) {
            this.split = split;
            this.seed = seed;
        }

        @ProcessElement
        public void process(@Element KV<String, Iterable<TypedRow>> rowsOfClass, OutputReceiver<KV<String, TypedRow>> out) {
            List<TypedRow> rows = new ArrayList<>();
            rowsOfClass.getValue().forEach(rows::add);
            rows.sort(Comparator.comparingLong((TypedRow r) -> rank(seed, r.row())).thenComparingLong(TypedRow::row));
            Allocation a = split.allocate(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Split s = i < a.test() ? Split.TEST : i < a.test() + a.validation() ? Split.VALIDATION : Split.TRAIN;
                out.output(KV.of(s.label(), rows.get(i)));
            }
        }
    }

    /** The characters of a class name shown in a list of classes, which lists up to 20 of them. */
    private static final int CLASS_IN_LIST = 40;

    /** Rows per class, sorted by class. */
    @DefaultCoder(SerializableCoder.class)
    record ClassCounts(TreeMap<String, Long> counts) implements Serializable {
        String describe() {
            return Excerpt.list(counts.entrySet().stream().map(e -> Excerpt.of(e.getKey(), CLASS_IN_LIST) + " " + e.getValue()).toList());
        }
    }

    /** Counts rows per class; the accumulator is the result, a sorted map being order-independent. */
    static final class CountClassesFn extends Combine.CombineFn<String, ClassCounts, ClassCounts> {
        @Override
        public ClassCounts createAccumulator() {
            return new ClassCounts(new TreeMap<>());
        }

        @Override
        public ClassCounts addInput(ClassCounts acc, String label) {
            acc.counts().merge(label, 1L, Long::sum);
            return acc;
        }

        @Override
        public ClassCounts mergeAccumulators(Iterable<ClassCounts> accs) {
            ClassCounts merged = createAccumulator();
            for (ClassCounts a : accs) a.counts().forEach((k, v) -> merged.counts().merge(k, v, Long::sum));
            return merged;
        }

        @Override
        public ClassCounts extractOutput(ClassCounts acc) {
            return acc;
        }
    }

    /** Checks that the label can be learned and stratified: two classes or more, each large enough for the split. */
    static final class CheckClassesFn extends DoFn<ClassCounts, Issue> {
        private final StratifiedSplit split;
        private final ColumnLayout layout;
        private final String label;
        private final PCollectionView<ColumnTypes> typesView;

        CheckClassesFn(StratifiedSplit split, ColumnLayout layout, PCollectionView<ColumnTypes> typesView) {
            this.split = split;
            this.layout = layout;
            this.label = layout.labelName();
            this.typesView = typesView;
        }

        @ProcessElement
        public void process(@Element ClassCounts classes, ProcessContext context, OutputReceiver<Issue> out) {
            Map<String, Long> counts = classes.counts();
            // A label empty throughout is reported as such; "no usable rows" would only repeat it.
            if (counts.isEmpty() && context.sideInput(typesView).allEmpty(layout.label())) return;
            if (counts.isEmpty()) {
                // Only reachable when every row was dropped or had a problem; the problems themselves are reported too.
                out.output(Issue.ofFile(label, "no usable rows are left"
                        + " — see the other problems, or, with `missing: drop`, fill in the empty fields"));
                return;
            }
            if (counts.size() == 1) {
                Map.Entry<String, Long> only = counts.entrySet().iterator().next();
                out.output(Issue.ofFile(label, "the label has a single class, '" + Excerpt.of(only.getKey()) + "' (" + only.getValue()
                        + " rows) — a classifier needs at least two classes: check that `label:` names the right column"
                        + " and that the file holds rows of every class"));
                return;
            }
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                Allocation a = split.allocate(e.getValue());
                if (a.usable()) continue;
                String name = Excerpt.of(e.getKey());
                out.output(Issue.ofFile(label, "class '" + name + "' has " + e.getValue() + " row"
                        + (e.getValue() == 1 ? "" : "s") + ", too few to stratify: with test " + split.test()
                        + " and validation " + split.validation() + " it would get " + a.train() + " train and "
                        + a.test() + " test rows, and every class needs at least 1 of each, which takes at least "
                        + split.minimumRows() + " rows. Rows per class: " + classes.describe()
                        + " — add rows of '" + name + "', merge it with another class, or remove its rows"));
            }
        }
    }
}
