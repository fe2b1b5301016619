package dev.candor.stages.fairness;

import dev.candor.explain.fairness.ProtectedAttribute;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Excerpt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a dataset's protected columns into {@link ProtectedAttribute}s: categorical columns as they are, numeric
 * columns through the configured bins, and the configured intersections. Names follow the metric names agreed for
 * the registry: an intersection of {@code a} and {@code b} is the attribute {@code a_x_b} with groups
 * {@code a=g1,b=g2}; a bin is written {@code [lo..hi)} (the last {@code [lo..hi]}), without a comma, so that a
 * group stays one item of a comma-separated slice.
 */
public final class ProtectedGroups {

    private ProtectedGroups() {
    }

    /** The attribute name of the intersection of {@code a} and {@code b}. */
    public static String intersectionName(String a, String b) {
        return a + "_x_" + b;
    }

    /**
     * The attributes to measure: every protected column in schema order, then the intersections in config order.
     *
     * @throws ConfigException when a numeric protected column has no bins, a key names a column that is not
     *                         protected, or a value falls outside its bins
     */
    public static List<ProtectedAttribute> of(DatasetSchema schema, List<DatasetRow> rows, FairnessConfig config,
                                              String where) {
        List<ColumnSchema> columns = schema.protectedAttributes();
        List<String> names = columns.stream().map(ColumnSchema::name).toList();
        for (String b : config.bins().keySet()) {
            if (!names.contains(b)) {
                throw new ConfigException("fairness", "bins are given for '" + b + "', which is not a protected"
                        + " attribute of " + where + "; protected attributes: " + names);
            }
        }
        Map<String, ProtectedAttribute> byName = new LinkedHashMap<>();
        for (ColumnSchema c : columns) {
            int idx = schema.indexOf(c.name());
            if (c.type() == ColumnType.CATEGORICAL) {
                if (config.bins().containsKey(c.name())) {
                    throw new ConfigException("fairness", "'" + c.name() + "' is categorical, so it takes no bins;"
                            + " remove it from fairness.bins");
                }
                List<String> values = new ArrayList<>(rows.size());
                for (DatasetRow r : rows) values.add(r.category(idx));
                byName.put(c.name(), ProtectedAttribute.categorical(c.name(), values));
            } else {
                double[] values = new double[rows.size()];
                double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < values.length; i++) {
                    values[i] = rows.get(i).number(idx);
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                }
                List<Double> edges = config.bins().get(c.name());
                if (edges == null) {
                    throw new ConfigException("fairness", "protected attribute '" + c.name() + "' is numeric (its"
                            + " values in " + where + " run from " + fmt(min) + " to " + fmt(max) + "), so its groups"
                            + " need bins: add e.g. fairness: {bins: {" + c.name() + ": [" + fmt(Math.floor(min))
                            + ", " + fmt(Math.floor((min + max) / 2)) + ", " + fmt(Math.ceil(max)) + "]}}");
                }
                double[] e = edges.stream().mapToDouble(Double::doubleValue).toArray();
                for (int i = 0; i < values.length; i++) {
                    if (!(values[i] >= e[0] && values[i] <= e[e.length - 1])) {
                        throw new ConfigException("fairness", "protected attribute '" + c.name() + "' has the value "
                                + fmt(values[i]) + " (source row " + rows.get(i).sourceRow() + " of " + where
                                + "), outside its bins " + edges + "; widen the outer edges to cover " + fmt(min)
                                + " to " + fmt(max));
                    }
                }
                ProtectedAttribute binned = ProtectedAttribute.binned(c.name(), values, e);
                byName.put(c.name(), new ProtectedAttribute(c.name(), binNames(e), binned.codes()));
            }
        }
        List<ProtectedAttribute> out = new ArrayList<>(byName.values());
        for (List<String> pair : config.intersections()) {
            ProtectedAttribute a = byName.get(pair.get(0)), b = byName.get(pair.get(1));
            if (a == null || b == null) {
                throw new ConfigException("fairness", "intersection " + pair + " names '"
                        + (a == null ? pair.get(0) : pair.get(1)) + "', which is not a protected attribute of "
                        + where + "; protected attributes: " + names);
            }
            out.add(cross(a, b));
        }
        for (Map.Entry<String, String> p : config.privileged().entrySet()) {
            ProtectedAttribute a = out.stream().filter(x -> x.name().equals(p.getKey())).findFirst()
                    .orElseThrow(() -> new ConfigException("fairness", "a privileged group is declared for '"
                            + p.getKey() + "', which is not a measured attribute; measured: "
                            + out.stream().map(ProtectedAttribute::name).toList()));
            // Found by the fuzzer (issue 9): a group the data does not have failed the stage deep in the fairness
            // computation as a fault of the stage (exit 1); it is a setting the data contradicts.
            if (!a.groups().contains(p.getValue())) {
                throw new ConfigException("fairness", "the privileged group '" + Excerpt.of(p.getValue())
                        + "' declared for '" + p.getKey() + "' is not one of its groups in " + where + ": "
                        + Excerpt.list(a.groups()) + " — name one of them under fairness.privileged");
            }
        }
        return List.copyOf(out);
    }

    /**
     * One protected attribute of {@code rows}: categorical as it is, numeric through {@code bins} (required then).
     *
     * @param key the config key that gives the attribute and its bins, for messages
     * @throws ConfigException when the column is not protected, or bins are missing or do not fit the column
     */
    public static ProtectedAttribute single(DatasetSchema schema, String attribute, List<Double> bins,
                                            List<DatasetRow> rows, String where) {
        List<String> names = schema.protectedAttributes().stream().map(ColumnSchema::name).toList();
        if (!names.contains(attribute)) {
            throw new ConfigException("attribute", "'" + attribute + "' is not a protected attribute of " + where
                    + "; its protected attributes are " + names + " (declare it under protected: at ingestion)");
        }
        ColumnSchema c = schema.column(attribute);
        if (c.type() == ColumnType.NUMERIC && bins.isEmpty()) {
            throw new ConfigException("bins", "'" + attribute + "' is numeric; give bin edges to group it, e.g."
                    + " bins: [0, 25, 60, 200]");
        }
        if (c.type() == ColumnType.CATEGORICAL && !bins.isEmpty()) {
            throw new ConfigException("bins", "'" + attribute + "' is categorical, so it takes no bins; remove bins");
        }
        FairnessConfig config = new FairnessConfig(bins.isEmpty() ? Map.of() : Map.of(attribute, bins), null, null,
                null, null, null);
        DatasetSchema only = onlyProtected(schema, attribute);
        try {
            return of(only, rows, config, where).get(0);
        } catch (ConfigException e) {
            throw new ConfigException("bins", e.getMessage());
        }
    }

    /** The schema with every protected column but {@code attribute} turned into an ignored one. */
    private static DatasetSchema onlyProtected(DatasetSchema schema, String attribute) {
        List<ColumnSchema> columns = new ArrayList<>();
        for (ColumnSchema c : schema.columns()) {
            columns.add(c.role() == dev.candor.stages.data.ColumnRole.PROTECTED && !c.name().equals(attribute)
                    ? new ColumnSchema(c.name(), c.type(), dev.candor.stages.data.ColumnRole.IGNORED, false,
                    c.categories()) : c);
        }
        return new DatasetSchema(schema.source(), schema.sha256(), columns, schema.label(), schema.classes());
    }

    /** One group per pair, named {@code a=x,b=y}, first attribute outermost. */
    static ProtectedAttribute cross(ProtectedAttribute a, ProtectedAttribute b) {
        List<String> groups = new ArrayList<>();
        for (String x : a.groups()) {
            for (String y : b.groups()) groups.add(a.name() + "=" + x + "," + b.name() + "=" + y);
        }
        int[] ca = a.codes(), cb = b.codes();
        int[] codes = new int[ca.length];
        for (int i = 0; i < codes.length; i++) codes[i] = ca[i] * b.groups().size() + cb[i];
        return new ProtectedAttribute(intersectionName(a.name(), b.name()), groups, codes);
    }

    static List<String> binNames(double[] e) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < e.length; i++) {
            names.add("[" + fmt(e[i - 1]) + ".." + fmt(e[i]) + (i == e.length - 1 ? "]" : ")"));
        }
        return names;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
