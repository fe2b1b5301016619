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
 * file in one go rather than one row per run.
 *
 * @param first the first problems, by row and column
 * @param total how many problems were found
 */
@DefaultCoder(SerializableCoder.class)
record Issues(List<Issue> first, long total) implements Serializable {
    static final int KEPT = 20;

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

        @DefaultCoder(SerializableCoder.class)
        static final class Acc implements Serializable {
            final TreeSet<Issue> first = new TreeSet<>();
            long total;

            void add(Issue issue) {
                first.add(issue);
                if (first.size() > KEPT) first.pollLast();
            }
        }

        @Override
        public Acc createAccumulator() {
            return new Acc();
        }

        @Override
        public Acc addInput(Acc acc, Issue issue) {
            acc.add(issue);
            acc.total++;
            return acc;
        }

        @Override
        public Acc mergeAccumulators(Iterable<Acc> accs) {
            Acc merged = new Acc();
            for (Acc a : accs) {
                a.first.forEach(merged::add);
                merged.total += a.total;
            }
            return merged;
        }

        @Override
        public Issues extractOutput(Acc acc) {
            return new Issues(new ArrayList<>(acc.first), acc.total);
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
