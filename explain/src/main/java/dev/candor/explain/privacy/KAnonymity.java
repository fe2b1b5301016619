package dev.candor.explain.privacy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * k-anonymity (Sweeney 2002, "k-anonymity: a model for protecting privacy"): rows that share the same values of
 * the quasi-identifier columns form an equivalence class; the table is k-anonymous for the largest k such that
 * every class has at least k rows, i.e. k = the size of the smallest class. Missing values (null or blank) count
 * as one more value ("missing"), which is what an attacker sees. Pure function; the result holds counts only,
 * never the values of small classes.
 */
public final class KAnonymity {

    private KAnonymity() {
    }

    /**
     * The k-anonymity of a table.
     *
     * @param quasiIdentifiers the columns measured
     * @param rows             the rows of the table
     * @param k                the size of the smallest equivalence class; 0 for an empty table
     * @param classes          the number of equivalence classes
     * @param uniqueRows       rows alone in their class (re-identifiable by these columns alone)
     * @param classSizes       how many classes have each size, by size
     */
    public record Result(List<String> quasiIdentifiers, int rows, int k, int classes, int uniqueRows,
                         Map<Integer, Integer> classSizes) {
        public Result {
            quasiIdentifiers = List.copyOf(quasiIdentifiers);
            classSizes = Map.copyOf(classSizes);
        }

        /** The rows in classes smaller than {@code threshold}: the rows that break {@code threshold}-anonymity. */
        public int rowsBelow(int threshold) {
            int n = 0;
            for (Map.Entry<Integer, Integer> e : classSizes.entrySet()) {
                if (e.getKey() < threshold) n += e.getKey() * e.getValue();
            }
            return n;
        }
    }

    /**
     * Measures k-anonymity for the declared quasi-identifiers.
     *
     * @throws IllegalArgumentException for no quasi-identifier, an unknown column, or a row of the wrong width
     */
    public static Result of(List<String> header, List<List<String>> rows, List<String> quasiIdentifiers) {
        if (quasiIdentifiers.isEmpty()) {
            throw new IllegalArgumentException("no quasi-identifier columns declared; name the columns an attacker"
                    + " could link (e.g. zip code, birth year, sex)");
        }
        int[] cols = new int[quasiIdentifiers.size()];
        for (int q = 0; q < cols.length; q++) {
            cols[q] = header.indexOf(quasiIdentifiers.get(q));
            if (cols[q] < 0) {
                throw new IllegalArgumentException("quasi-identifier '" + quasiIdentifiers.get(q) + "' is not a column;"
                        + " columns: " + header);
            }
        }
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + r + " has " + row.size() + " values but the header has "
                        + header.size() + " columns");
            }
            List<String> key = new ArrayList<>(cols.length);
            for (int c : cols) {
                String v = row.get(c);
                // A marker no real value can take, so "missing" and a literal empty string count alike.
                key.add(v == null || v.isBlank() ? "\u0000missing" : v.strip());
            }
            counts.merge(key, 1, Integer::sum);
        }
        Map<Integer, Integer> sizes = new TreeMap<>();
        int k = rows.isEmpty() ? 0 : Integer.MAX_VALUE, unique = 0;
        for (int size : counts.values()) {
            sizes.merge(size, 1, Integer::sum);
            k = Math.min(k, size);
            if (size == 1) unique++;
        }
        return new Result(quasiIdentifiers, rows.size(), k, counts.size(), unique, sizes);
    }
}
