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
 * statistics are known. A row with any problem is reported and left out; a label is never imputed. A column empty
 * in every row is reported once, as a whole ({@link ColumnTypes.EmptyColumnsFn}), not in each row.
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
                if (types.allEmpty(i)) {
                    // Reported once for the whole column (EmptyColumnsFn), not once per row; nor a reason to drop.
                    continue;
                } else if (policy == MissingPolicy.DROP) {
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
            if (field.indexOf('\0') >= 0) {
                issues.add(new Issue(row.row(), i, name, field, "text without NUL characters (shown as \\u0000): a NUL"
                        + " byte in a CSV means a damaged file, a binary file or a UTF-16 one — export it again as CSV"
                        + " (UTF-8)"));
                continue;
            }
            if (types.type(i) == ColumnType.NUMERIC) {
                Double number = ColumnTypes.parseNumber(field);
                if (number == null) {
                    String marker = ColumnTypes.marker(field);
                    issues.add(new Issue(row.row(), i, name, field, marker != null ? marker : types.whyNumeric(layout, i)));
                } else if (!ColumnTypes.inRange(number)) {
                    issues.add(new Issue(row.row(), i, name, field, ColumnTypes.outOfRange()));
                } else {
                    values[i] = number;
                }
            } else {
                values[i] = field;
            }
        }
        if (!issues.isEmpty()) {
            issues.forEach(out.get(ISSUES)::output);
            if (values[layout.label()] != null) out.get(LABELS).output((String) values[layout.label()]);
        } else if (drop) {
            out.get(DROPPED).output(row.row());
        } else if (values[layout.label()] == null) {
            // Only when the label column is empty throughout: that is reported once, and the row cannot be used.
            return;
        } else {
            out.get(ROWS).output(new TypedRow(row.row(), values));
            out.get(LABELS).output((String) values[layout.label()]);
        }
    }
}
