package dev.candor.stages.ingest;

import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.MissingPolicy;
import dev.candor.stages.data.Split;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds {@code schema.json} and {@code statistics.json} from what the pipeline computed. Pure functions of their
 * inputs, so every DoFn that needs the schema derives the same one.
 *
 * @param layout the kept columns
 * @param source the source file name
 * @param sha256 the source file's hash
 * @param seed   the split seed
 */
record DatasetDescription(ColumnLayout layout, String source, String sha256, long seed) implements Serializable {

    /** The schema: types from inference, categories seen in any split (before imputation, which adds none). */
    DatasetSchema schema(ColumnTypes types, Map<String, SplitStats> stats) {
        List<ColumnSchema> columns = new ArrayList<>();
        for (int i = 0; i < layout.size(); i++) {
            ColumnLayout.Column c = layout.column(i);
            List<String> categories = List.of();
            // An id's values are not levels of anything: listing them would copy the whole column into the schema.
            if (types.type(i) == ColumnType.CATEGORICAL && c.role() != ColumnRole.ID) {
                TreeSet<String> seen = new TreeSet<>();
                for (SplitStats s : stats.values()) seen.addAll(s.columns[i].categories.keySet());
                categories = new ArrayList<>(seen);
            }
            columns.add(new ColumnSchema(c.name(), types.type(i), c.role(), c.featureToo(), categories));
        }
        return new DatasetSchema(source, sha256, columns, layout.labelName(), columns.get(layout.label()).categories());
    }

    /** The statistics: row counts, class balance per split, per-column statistics per split and over all splits. */
    IngestStatistics statistics(ColumnTypes types, Map<String, SplitStats> stats, Imputation imputation,
                                long dropped, List<Long> droppedRows) {
        Map<String, SplitStats> groups = new LinkedHashMap<>();
        boolean[] keepCategories = SplitStats.keepCategories(layout);
        SplitStats all = new SplitStats(keepCategories, false);
        for (Split split : Split.values()) {
            SplitStats s = stats.getOrDefault(split.label(), new SplitStats(keepCategories, false));
            groups.put(split.label(), s);
            all.merge(s);
        }
        groups.put(IngestStatistics.ALL, all);

        Map<String, Map<String, Long>> classBalance = new LinkedHashMap<>();
        groups.forEach((name, s) -> classBalance.put(name, new TreeMap<>(s.columns[layout.label()].categories)));

        boolean imputes = layout.missing() == MissingPolicy.IMPUTE_MEAN || layout.missing() == MissingPolicy.IMPUTE_MODE;
        List<IngestStatistics.ColumnStatistics> columns = new ArrayList<>();
        for (int i = 0; i < layout.size(); i++) {
            Imputation.Fill fill = imputes ? imputation.fill(i) : null;
            Map<String, IngestStatistics.SplitColumn> perSplit = new LinkedHashMap<>();
            for (Map.Entry<String, SplitStats> g : groups.entrySet()) {
                perSplit.put(g.getKey(), column(g.getValue().columns[i], types.type(i), keepCategories[i], fill != null));
            }
            ColumnLayout.Column c = layout.column(i);
            columns.add(new IngestStatistics.ColumnStatistics(c.name(), types.type(i).name(), typeReason(types, i),
                    c.role().name(), types.columns().get(i).empty(),
                    fill == null ? null : new IngestStatistics.Imputed(fill.value(), fill.method()), perSplit));
        }
        IngestStatistics.Rows rows = new IngestStatistics.Rows(types.rows(), dropped, droppedRows,
                groups.get(Split.TRAIN.label()).rows, groups.get(Split.VALIDATION.label()).rows,
                groups.get(Split.TEST.label()).rows);
        return new IngestStatistics(source, sha256, seed, layout.missing().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                rows, classBalance, columns);
    }

    private static IngestStatistics.SplitColumn column(SplitStats.Column s, ColumnType type, boolean keepCategories,
                                                       boolean imputed) {
        long imputedCount = imputed ? s.missing : 0;
        if (type == ColumnType.CATEGORICAL) {
            return new IngestStatistics.SplitColumn(s.count, s.missing, imputedCount, null, null, null, null,
                    keepCategories ? new TreeMap<>(s.categories) : null);
        }
        if (s.count == 0) return new IngestStatistics.SplitColumn(0, s.missing, imputedCount, null, null, null, null, null);
        Double std = s.count < 2 ? null : s.std();
        return new IngestStatistics.SplitColumn(s.count, s.missing, imputedCount, s.min, s.max, s.mean(), std, null);
    }

    private String typeReason(ColumnTypes types, int i) {
        ColumnLayout.Column c = layout.column(i);
        ColumnTypes.Inferred t = types.columns().get(i);
        if (c.role() == ColumnRole.LABEL) return "the label is always categorical (its values are class names)";
        if (c.declared() != null) return "declared under `columns:`";
        if (c.role() == ColumnRole.ID) return "an id column is categorical unless declared";
        return "inferred: " + t.numbers() + " of " + t.nonEmpty() + " values are numbers";
    }
}
