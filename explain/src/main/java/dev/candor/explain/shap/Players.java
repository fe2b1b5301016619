package dev.candor.explain.shap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The players of a Shapley game over a model's input columns: each player is a named, non-empty set of columns that
 * enter or leave a coalition together. A one-hot encoded categorical is one player (its indicator columns), so its
 * value is the effect of the category as a whole rather than of each indicator.
 *
 * <p>Players are disjoint; columns that belong to no player are never switched and keep the background's values in
 * every evaluation (so their effect falls into the base value).
 *
 * @param names   one name per player
 * @param columns for each player, its column indexes (copied, sorted)
 */
public record Players(List<String> names, List<int[]> columns) {

    public Players {
        names = List.copyOf(names);
        if (names.size() != columns.size()) {
            throw new IllegalArgumentException(names.size() + " player names for " + columns.size()
                    + " column sets; give one name per player");
        }
        if (names.isEmpty()) throw new IllegalArgumentException("a Shapley game needs at least one player");
        List<int[]> copy = new ArrayList<>(columns.size());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int p = 0; p < columns.size(); p++) {
            int[] cols = columns.get(p).clone();
            Arrays.sort(cols);
            if (cols.length == 0) throw new IllegalArgumentException("player '" + names.get(p) + "' has no columns");
            for (int c : cols) {
                if (c < 0) throw new IllegalArgumentException("player '" + names.get(p) + "' has column " + c + " < 0");
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("column " + c + " belongs to two players (the second is '"
                            + names.get(p) + "'); players must be disjoint");
                }
            }
            copy.add(cols);
        }
        columns = List.copyOf(copy);
    }

    /** One player per column, named by {@code featureNames}. */
    public static Players singletons(List<String> featureNames) {
        List<int[]> cols = new ArrayList<>(featureNames.size());
        for (int i = 0; i < featureNames.size(); i++) cols.add(new int[] {i});
        return new Players(featureNames, cols);
    }

    /** One player per column, named {@code x0, x1, …}. */
    public static Players singletons(int width) {
        List<String> names = new ArrayList<>(width);
        for (int i = 0; i < width; i++) names.add("x" + i);
        return singletons(names);
    }

    /** The number of players. */
    public int size() {
        return names.size();
    }

    /** The columns of player {@code p} (a copy). */
    public int[] columnsOf(int p) {
        return columns.get(p).clone();
    }

    @Override
    public List<int[]> columns() {
        List<int[]> out = new ArrayList<>(columns.size());
        for (int[] c : columns) out.add(c.clone());
        return out;
    }

    /** Checks that every column is below {@code width}, the model's input width. */
    void checkWidth(int width) {
        for (int p = 0; p < columns.size(); p++) {
            for (int c : columns.get(p)) {
                if (c >= width) {
                    throw new IllegalArgumentException("player '" + names.get(p) + "' has column " + c
                            + " but the model takes " + width + " columns (0.." + (width - 1) + ")");
                }
            }
        }
    }

    /** Internal view without copying, for the hot loops. */
    int[] columnsRaw(int p) {
        return columns.get(p);
    }
}
