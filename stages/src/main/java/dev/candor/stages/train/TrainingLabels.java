package dev.candor.stages.train;

import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.Excerpt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The class name of each training row, checked against the schema's classes. */
public final class TrainingLabels {
    private TrainingLabels() {
    }

    /**
     * @throws DataException when a row's label is not one of the schema's classes, or a class has no training row
     *                       (Tribuo cannot learn a class it never saw, and the model's outputs must cover every class)
     */
    public static String[] of(DatasetSchema schema, List<DatasetRow> rows, String file) {
        String[] labels = names(schema, rows, file);
        Set<String> missing = new LinkedHashSet<>(schema.classes());
        for (String l : labels) missing.remove(l);
        if (!missing.isEmpty()) {
            throw new DataException(file, 0, schema.label(), null, "class(es) [" + Excerpt.list(missing) + "] have no row in the train "
                    + "split, so no model can learn them; give the train split a larger fraction, or merge rare classes");
        }
        return labels;
    }

    /**
     * The class name of each row.
     *
     * @throws DataException when a row's label is not one of the schema's classes
     */
    public static String[] names(DatasetSchema schema, List<DatasetRow> rows, String file) {
        int column = schema.labelIndex();
        Set<String> classes = new HashSet<>(schema.classes());
        String[] labels = new String[rows.size()];
        List<DataException.Problem> problems = new ArrayList<>();
        long bad = 0;
        for (int r = 0; r < labels.length; r++) {
            Object v = rows.get(r).values()[column];
            String name = name(v, schema.classes());
            if (!classes.contains(name)) {
                if (problems.size() < 10) {
                    problems.add(new DataException.Problem(file, rows.get(r).sourceRow(), schema.label(), String.valueOf(v),
                            "expected one of the dataset's classes [" + Excerpt.list(schema.classes()) + "]"));
                }
                bad++;
            }
            labels[r] = name;
        }
        if (bad > 0) throw new DataException(problems, bad);
        return labels;
    }

    /** A label value as a class name; a numeric label matches the class whose text is the same number. */
    private static String name(Object v, List<String> classes) {
        if (v instanceof Number n) {
            for (String c : classes) {
                try {
                    if (Double.parseDouble(c) == n.doubleValue()) return c;
                } catch (NumberFormatException e) {
                    // not a numeric class name: keep looking
                }
            }
        }
        return String.valueOf(v);
    }
}
