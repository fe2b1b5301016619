package dev.candor.stages.ingest;

import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.MissingPolicy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What fills each column's empty fields, computed from the training split alone: test rows must not leak into the
 * values that stand in for missing ones.
 *
 * @param fills one per kept column, in {@link ColumnLayout} order; null where nothing is imputed
 */
@DefaultCoder(SerializableCoder.class)
record Imputation(List<Fill> fills) implements Serializable {

    /**
     * @param value  the value filled in: a Double for numeric columns, a String for categorical ones
     * @param method how it was chosen, in words for {@code statistics.json}
     */
    record Fill(Object value, String method) implements Serializable {
    }

    Imputation {
        fills = Collections.unmodifiableList(new ArrayList<>(fills));
    }

    static Imputation none(int columns) {
        return new Imputation(Collections.nCopies(columns, null));
    }

    Fill fill(int column) {
        return fills.get(column);
    }

    /** Decides the fill of every column from the training split's statistics; reports columns with nothing to go on. */
    static final class DecideFn extends DoFn<SplitStats, Imputation> {
        static final TupleTag<Imputation> IMPUTATION = new TupleTag<>() { };
        static final TupleTag<Issue> ISSUES = new TupleTag<>() { };

        private final ColumnLayout layout;
        private final PCollectionView<ColumnTypes> typesView;

        DecideFn(ColumnLayout layout, PCollectionView<ColumnTypes> typesView) {
            this.layout = layout;
            this.typesView = typesView;
        }

        @ProcessElement
        public void process(@Element SplitStats train, ProcessContext context, MultiOutputReceiver out) {
            ColumnTypes types = context.sideInput(typesView);
            List<Fill> fills = new ArrayList<>();
            for (int i = 0; i < layout.size(); i++) {
                ColumnLayout.Column c = layout.column(i);
                SplitStats.Column s = train.columns[i];
                if (i == layout.label() || types.columns().get(i).empty() == 0 || types.allEmpty(i)) {
                    // Nothing to fill, or a column empty throughout, which is reported as such.
                    fills.add(null);
                } else if (c.role() == ColumnRole.ID) {
                    // An imputed id would point at the wrong row; an empty one at least says it is unknown.
                    fills.add(new Fill("", "left empty: an id is never imputed"));
                } else if (s.count == 0) {
                    fills.add(null);
                    out.get(ISSUES).output(Issue.ofFile(c.name(), "the column has no values in the training split to"
                            + " impute its " + types.columns().get(i).empty() + " empty fields from — fill some in,"
                            + " add it to `ignore:`, or use `missing: drop`"));
                } else if (types.type(i) == ColumnType.NUMERIC && layout.missing() == MissingPolicy.IMPUTE_MEAN) {
                    fills.add(new Fill(s.mean(), "mean of the training split"));
                } else if (types.type(i) == ColumnType.NUMERIC) {
                    fills.add(new Fill(s.numberMode(), "mode of the training split (ties: the smallest value)"));
                } else if (layout.missing() == MissingPolicy.IMPUTE_MEAN) {
                    fills.add(new Fill(s.categoryMode(), "mode of the training split, as the column is categorical and"
                            + " has no mean (ties: the first in sort order)"));
                } else {
                    fills.add(new Fill(s.categoryMode(), "mode of the training split (ties: the first in sort order)"));
                }
            }
            out.get(IMPUTATION).output(new Imputation(fills));
        }
    }

    /** Fills the empty fields of every split with the training split's values. */
    static final class ApplyFn extends DoFn<KV<String, TypedRow>, KV<String, TypedRow>> {
        private final PCollectionView<Imputation> imputationView;

        ApplyFn(PCollectionView<Imputation> imputationView) {
            this.imputationView = imputationView;
        }

        @ProcessElement
        public void process(@Element KV<String, TypedRow> row, ProcessContext context, OutputReceiver<KV<String, TypedRow>> out) {
            Object[] values = row.getValue().values();
            Object[] filled = null;
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) continue;
                Fill fill = context.sideInput(imputationView).fill(i);
                // No fill means the column had nothing to impute from: that is reported, and nothing gets written.
                if (fill == null) continue;
                if (filled == null) filled = values.clone();
                filled[i] = fill.value();
            }
            out.output(filled == null ? row : KV.of(row.getKey(), new TypedRow(row.getValue().row(), filled)));
        }
    }
}
