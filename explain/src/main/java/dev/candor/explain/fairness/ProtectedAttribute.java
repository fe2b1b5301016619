package dev.candor.explain.fairness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One protected attribute per row, as group codes into an ordered list of group names. Categorical values are
 * grouped as they are (groups in natural string order); numeric values are bucketed by declared bin edges
 * {@code e0 < e1 < … < em} into the half-open bins {@code [e0,e1)}, …, {@code [e(m-1),em)}, the last bin closed
 * on the right ({@code [e(m-1),em]}) so the top edge is not lost.
 *
 * @param name   the attribute name, e.g. {@code sex}, or {@code sex × age} for an intersection
 * @param groups the group names, in report order; a group may hold no rows (an empty bin)
 * @param codes  for each row, the index of its group in {@code groups}
 */
public record ProtectedAttribute(String name, List<String> groups, int[] codes) {

    public ProtectedAttribute {
        groups = List.copyOf(groups);
        codes = codes.clone();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= groups.size()) {
                throw new IllegalArgumentException("attribute '" + name + "', row " + i + ": group code " + codes[i]
                        + " is outside [0, " + groups.size() + ")");
            }
        }
    }

    /** The group codes (a copy). */
    @Override
    public int[] codes() {
        return codes.clone();
    }

    /** The number of rows. */
    public int rows() {
        return codes.length;
    }

    int code(int row) {
        return codes[row];
    }

    /**
     * A categorical attribute: each distinct value is a group, groups in natural string order.
     *
     * @throws IllegalArgumentException for a null value (name the missing value explicitly, e.g. "unknown")
     */
    public static ProtectedAttribute categorical(String name, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException("attribute '" + name + "', row " + i + ": the value is missing;"
                        + " map missing values to a named group (e.g. \"unknown\") before measuring fairness");
            }
        }
        List<String> groups = new ArrayList<>(new TreeSet<>(values));
        Map<String, Integer> index = new LinkedHashMap<>();
        for (String g : groups) index.put(g, index.size());
        int[] codes = new int[values.size()];
        for (int i = 0; i < codes.length; i++) codes[i] = index.get(values.get(i));
        return new ProtectedAttribute(name, groups, codes);
    }

    /**
     * A numeric attribute bucketed by bin edges, e.g. edges {@code [0, 25, 60, 200]} give the groups
     * {@code [0,25)}, {@code [25,60)}, {@code [60,200]}.
     *
     * @throws IllegalArgumentException for fewer than two edges, edges not strictly increasing, or a value that is
     *                                  NaN or outside {@code [e0, em]}
     */
    public static ProtectedAttribute binned(String name, double[] values, double[] edges) {
        if (edges.length < 2) {
            throw new IllegalArgumentException("attribute '" + name + "': bin edges " + Arrays.toString(edges)
                    + " define no bin; give at least two increasing edges, e.g. [0, 25, 60, 200]");
        }
        for (int e = 1; e < edges.length; e++) {
            if (!(edges[e] > edges[e - 1])) {
                throw new IllegalArgumentException("attribute '" + name + "': bin edges " + Arrays.toString(edges)
                        + " must be strictly increasing (edge " + e + " is not above edge " + (e - 1) + ")");
            }
        }
        List<String> groups = new ArrayList<>();
        for (int e = 1; e < edges.length; e++) {
            groups.add("[" + fmt(edges[e - 1]) + "," + fmt(edges[e]) + (e == edges.length - 1 ? "]" : ")"));
        }
        int[] codes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!(v >= edges[0] && v <= edges[edges.length - 1])) {
                throw new IllegalArgumentException("attribute '" + name + "', row " + i + ": value " + v
                        + " is outside the declared bins " + Arrays.toString(edges)
                        + "; widen the outer edges or clean the value");
            }
            int b = Arrays.binarySearch(edges, v);
            // An exact edge hit starts the bin to its right, except the top edge, which closes the last bin.
            int bin = b >= 0 ? Math.min(b, edges.length - 2) : -b - 2;
            codes[i] = bin;
        }
        return new ProtectedAttribute(name, groups, codes);
    }

    /**
     * The intersection of two attributes over the same rows: one group per pair of groups, named
     * {@code "a=x & b=y"}, in the order of the first attribute then the second.
     */
    public static ProtectedAttribute cross(ProtectedAttribute a, ProtectedAttribute b) {
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("attributes '" + a.name + "' (" + a.rows() + " rows) and '" + b.name
                    + "' (" + b.rows() + " rows) cover different rows; they must describe the same rows");
        }
        List<String> groups = new ArrayList<>();
        for (String x : a.groups) {
            for (String y : b.groups) groups.add(a.name + "=" + x + " & " + b.name + "=" + y);
        }
        int[] codes = new int[a.rows()];
        for (int i = 0; i < codes.length; i++) codes[i] = a.codes[i] * b.groups.size() + b.codes[i];
        return new ProtectedAttribute(a.name + " × " + b.name, groups, codes);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProtectedAttribute p && name.equals(p.name) && groups.equals(p.groups)
                && Arrays.equals(codes, p.codes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + groups.hashCode()) + Arrays.hashCode(codes);
    }

    @Override
    public String toString() {
        return "ProtectedAttribute[" + name + ", groups=" + groups + ", rows=" + codes.length + "]";
    }
}
