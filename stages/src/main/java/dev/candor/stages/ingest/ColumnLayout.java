package dev.candor.stages.ingest;

import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.MissingPolicy;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.Excerpt;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which columns of the CSV the dataset keeps, in source order, with their roles: the configuration resolved against
 * the header. Ignored columns are left out. Serializable, because every DoFn of the ingestion pipeline carries it.
 *
 * @param file    the file name, for messages
 * @param header  the header's column names, as in the file
 * @param columns the kept columns, in source order
 * @param label   the index of the label among {@code columns}
 * @param missing the missing-value policy
 */
record ColumnLayout(String file, List<String> header, List<Column> columns, int label, MissingPolicy missing)
        implements Serializable {

    /**
     * One kept column.
     *
     * @param source     its 0-based position in the CSV record
     * @param name       its header name
     * @param role       its role in the dataset
     * @param featureToo for a protected attribute: also a model input
     * @param declared   the type declared under {@code columns:}, or null
     */
    record Column(int source, String name, ColumnRole role, boolean featureToo, ColumnType declared) implements Serializable {

        /** The type fixed before looking at the data, or null when it is to be inferred. */
        ColumnType fixedType() {
            if (role == ColumnRole.LABEL) return ColumnType.CATEGORICAL;
            if (declared != null) return declared;
            // An id is a name, not a quantity: long numeric ids would lose digits as doubles.
            return role == ColumnRole.ID ? ColumnType.CATEGORICAL : null;
        }
    }

    ColumnLayout {
        header = List.copyOf(header);
        columns = List.copyOf(columns);
    }

    /**
     * Resolves the configuration against the header.
     *
     * @throws DataException naming every configured column that the header lacks, with the columns it has
     */
    static ColumnLayout of(String file, List<String> header, CsvIngestConfig config) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < header.size(); i++) position.put(header.get(i), i);

        // Every name the user wrote, with the key it was written under, checked in one pass so all typos show at once.
        Map<String, String> named = new LinkedHashMap<>();
        named.put(config.label(), "label");
        if (config.id() != null) named.putIfAbsent(config.id(), "id");
        config.protectedColumns().forEach(c -> named.putIfAbsent(c, "protected"));
        config.ignore().forEach(c -> named.putIfAbsent(c, "ignore"));
        config.columns().keySet().stream().sorted().forEach(c -> named.putIfAbsent(c, "columns"));
        List<DataException.Problem> unknown = new ArrayList<>();
        String otherDelimiter = otherDelimiter(header, config.delimiter());
        for (Map.Entry<String, String> e : named.entrySet()) {
            if (!position.containsKey(e.getKey())) {
                String fix = otherDelimiter != null
                        ? " — the header is a single column, so the file seems to separate its fields not with '"
                                + config.delimiter() + "' but with " + otherDelimiter
                        : " — correct the name under `" + e.getValue() + ":`";
                unknown.add(new DataException.Problem(file, 1, e.getKey(), null,
                        "`" + e.getValue() + ":` names a column that is not in the header; the columns are "
                                + Excerpt.list(header) + fix));
            }
        }
        if (!unknown.isEmpty()) throw new DataException(unknown, unknown.size());

        List<Column> columns = new ArrayList<>();
        int label = -1;
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (config.ignore().contains(name)) continue;
            ColumnRole role;
            ColumnType declared = config.columns().get(name);
            if (name.equals(config.label())) {
                role = ColumnRole.LABEL;
                label = columns.size();
            } else if (name.equals(config.id())) {
                role = ColumnRole.ID;
            } else if (config.protectedColumns().contains(name)) {
                role = ColumnRole.PROTECTED;
            } else {
                role = ColumnRole.FEATURE;
            }
            boolean featureToo = role == ColumnRole.PROTECTED && config.protectedAsFeatures();
            columns.add(new Column(i, name, role, featureToo, declared));
        }
        return new ColumnLayout(file, header, columns, label, config.missing());
    }

    /**
     * The delimiter the file seems to use instead of the configured one, with the YAML that sets it: a header of a
     * single name that holds one of the usual delimiters (Excel writes ';' where the decimal separator is a comma),
     * or null.
     */
    private static String otherDelimiter(List<String> header, String configured) {
        if (header.size() != 1) return null;
        Map<String, String> usual = new LinkedHashMap<>();
        usual.put(";", "';' — set `delimiter: ';'`");
        usual.put("\t", "tabs — set `delimiter: \"\\t\"`");
        usual.put("|", "'|' — set `delimiter: '|'`");
        usual.put(",", "',' — set `delimiter: ','` (or leave it out: ',' is the default)");
        for (Map.Entry<String, String> d : usual.entrySet()) {
            if (!d.getKey().equals(configured) && header.get(0).contains(d.getKey())) return d.getValue();
        }
        return null;
    }

    int size() {
        return columns.size();
    }

    Column column(int i) {
        return columns.get(i);
    }

    String labelName() {
        return columns.get(label).name();
    }
}
