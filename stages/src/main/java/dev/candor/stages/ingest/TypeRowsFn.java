package dev.candor.stages.ingest;

import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.MissingPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Gives each field its column's type and applies the missing-value policy's first half: {@code error} reports empty
 * fields, {@code drop} drops their rows, the imputing policies keep them empty (null) until the training split's
 * statistics are known. A row with any problem is reported and left out; a label is never imputed.
 */
final class TypeRowsFn extends DoFn<CsvRow, TypedRow> {
    static final TupleTag<TypedRow> ROWS = new TupleTag<>() { };
    static final TupleTag<Issue> ISSUES = new TupleTag<>() { };
    static final TupleTag<Long> DROPPED = new TupleTag<>() { };
    /**
     * The label of every row that is kept or only has problems elsewhere: the class counts, checked for
     * stratification, must reflect the file, not what is left of it while some rows are broken.
     */
    static final TupleTag<String> LABELS = new TupleTag<>() { };

    private final ColumnLayout layout;
    private final PCollectionView<ColumnTypes> typesView;

    TypeRowsFn(ColumnLayout layout, PCollectionView<ColumnTypes> typesView) {
        this.layout = layout;
        this.typesView = typesView;
    }

    @ProcessElement
    public void process(@Element CsvRow row, ProcessContext context, MultiOutputReceiver out) {
        ColumnTypes types = context.sideInput(typesView);
        MissingPolicy policy = layout.missing();
        Object[] values = new Object[layout.size()];
        List<Issue> issues = new ArrayList<>();
        boolean drop = false;
        for (int i = 0; i < layout.size(); i++) {
            String field = row.fields().get(i);
            String name = layout.column(i).name();
            if (ColumnTypes.isEmpty(field)) {
                if (policy == MissingPolicy.DROP) {
                    drop = true;
                } else if (i == layout.label()) {
                    issues.add(new Issue(row.row(), i, name, null, "the label is empty — every row needs a label: fill it"
                            + " in or delete the row (labels are never imputed; `missing: drop` drops rows with empty fields)"));
                } else if (policy == MissingPolicy.ERROR) {
                    issues.add(new Issue(row.row(), i, name, null, "the field is empty — fill it in, or choose a `missing:`"
                            + " policy: drop (drops the row), impute-mean or impute-mode (fill from the training split)"));
                }
                continue;
            }
            if (types.type(i) == ColumnType.NUMERIC) {
                Double number = ColumnTypes.parseNumber(field);
                if (number == null) issues.add(new Issue(row.row(), i, name, field, types.whyNumeric(layout, i)));
                values[i] = number;
            } else {
                values[i] = field;
            }
        }
        if (!issues.isEmpty()) {
            issues.forEach(out.get(ISSUES)::output);
            if (values[layout.label()] != null) out.get(LABELS).output((String) values[layout.label()]);
        } else if (drop) {
            out.get(DROPPED).output(row.row());
        } else {
            out.get(ROWS).output(new TypedRow(row.row(), values));
            out.get(LABELS).output((String) values[layout.label()]);
        }
    }
}
