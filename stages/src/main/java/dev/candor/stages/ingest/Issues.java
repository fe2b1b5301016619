package dev.candor.stages.ingest;

import dev.candor.stages.spi.DataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The problems of a file: the first {@value #KEPT} in file order and how many there are in all, so a user can fix a
 * file in one go rather than one row per run. When the file could not be read to its end (broken quoting, a wrong
 * encoding), conclusions about the whole file drawn from the rows read (too few rows of a class, an empty column)
 * are left out: they would blame the data for what the reader missed.
 *
 * @param first the first problems, by row and column
 * @param total how many problems were found
 */
@DefaultCoder(SerializableCoder.class)
record Issues(List<Issue> first, long total) implements Serializable {
    static final int KEPT = DataException.MAX_LISTED;

    Issues {
        first = List.copyOf(first);
    }

    boolean isEmpty() {
        return total == 0;
    }

    DataException toException(String file) {
        return new DataException(first.stream().map(i -> i.toProblem(file)).toList(), total);
    }

    /** Keeps the smallest issues and counts them all; the result does not depend on the order issues arrive in. */
    static final class CollectFn extends Combine.CombineFn<Issue, CollectFn.Acc, Issues> {

        /** Whole-file conclusions and row problems apart, as the former may have to be dropped at the end. */
        @DefaultCoder(SerializableCoder.class)
        static final class Acc implements Serializable {
            final TreeSet<Issue> wholeFile = new TreeSet<>();
            final TreeSet<Issue> rows = new TreeSet<>();
            long wholeFileTotal;
            long rowsTotal;
            boolean readingEnded;

            void add(Issue issue) {
                TreeSet<Issue> kept = issue.wholeFile() ? wholeFile : rows;
                kept.add(issue);
                if (kept.size() > KEPT) kept.pollLast();
                readingEnded |= issue.endsReading();
            }
        }

        @Override
        public Acc createAccumulator() {
            return new Acc();
        }

        @Override
        public Acc addInput(Acc acc, Issue issue) {
            acc.add(issue);
            if (issue.wholeFile()) acc.wholeFileTotal++;
            else acc.rowsTotal++;
            return acc;
        }

        @Override
        public Acc mergeAccumulators(Iterable<Acc> accs) {
            Acc merged = new Acc();
            for (Acc a : accs) {
                a.wholeFile.forEach(merged::add);
                a.rows.forEach(merged::add);
                merged.wholeFileTotal += a.wholeFileTotal;
                merged.rowsTotal += a.rowsTotal;
                merged.readingEnded |= a.readingEnded;
            }
            return merged;
        }

        @Override
        public Issues extractOutput(Acc acc) {
            if (acc.readingEnded) return new Issues(new ArrayList<>(acc.rows), acc.rowsTotal);
            // Whole-file conclusions sort first (row 0); then the rows, in file order.
            List<Issue> first = new ArrayList<>(acc.wholeFile);
            for (Issue i : acc.rows) {
                if (first.size() >= KEPT) break;
                first.add(i);
            }
            return new Issues(first.subList(0, Math.min(first.size(), KEPT)), acc.wholeFileTotal + acc.rowsTotal);
        }
    }

    /**
     * Fails the pipeline with a {@link DataException} when there are issues. The one place ingestion throws for bad
     * data, so the caller gets every problem at once.
     */
    static final class ThrowFn extends DoFn<Issues, Void> {
        private final String file;

        ThrowFn(String file) {
            this.file = file;
        }

        @ProcessElement
        public void process(@Element Issues issues) {
            if (!issues.isEmpty()) throw issues.toException(file);
        }
    }
}
