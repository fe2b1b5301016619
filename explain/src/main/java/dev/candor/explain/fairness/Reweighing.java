package dev.candor.explain.fairness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reweighing (Kamiran &amp; Calders 2012, "Data preprocessing techniques for classification without
 * discrimination", Knowledge and Information Systems 33): each training row of group a and label y gets the weight
 * <pre>  w(a, y) = P(A = a) · P(Y = y) / P(A = a, Y = y) = (n_a · n_y) / (n · n_ay)</pre>
 * the expected count of the cell were A and Y independent over its observed count. Under these weights the label is
 * independent of the attribute (every group's weighted favourable rate equals the overall rate, so the weighted
 * statistical parity difference is 0) and the total weight is n: Σ_cells n_ay · n_a n_y / (n n_ay) = n.
 * When a cell is empty (a group with only one label) no row can carry its expected mass n_a n_y / n, so the total
 * falls short of n by that much and the group's weighted rate stays 0 or 1; the cell is reported with a NaN weight
 * (as AIF360's Reweighing, the weights are not renormalized).
 * Pure function, no randomness.
 */
public final class Reweighing {

    private Reweighing() {
    }

    /**
     * One cell of the weight table.
     *
     * @param group      the attribute's group
     * @param favourable the label of the cell
     * @param rows       n_ay, the rows in the cell
     * @param weight     the weight each of those rows gets; NaN for an empty cell (no row carries it)
     */
    public record Cell(String group, boolean favourable, int rows, double weight) {
    }

    /**
     * The weights of a training set.
     *
     * @param attribute the attribute the weights make the label independent of (an intersection from
     *                  {@link ProtectedAttribute#cross} covers two attributes at once)
     * @param weights   one weight per row, in row order
     * @param cells     the weight table, group by group, unfavourable then favourable
     */
    public record Result(String attribute, double[] weights, List<Cell> cells) {
        public Result {
            weights = weights.clone();
            cells = List.copyOf(cells);
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && attribute.equals(r.attribute) && Arrays.equals(weights, r.weights)
                    && cells.equals(r.cells);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * attribute.hashCode() + Arrays.hashCode(weights)) + cells.hashCode();
        }

        @Override
        public String toString() {
            return "Reweighing.Result[" + attribute + ", cells=" + cells + "]";
        }
    }

    /**
     * Computes the reweighing weights.
     *
     * @param attribute  the protected attribute of each training row
     * @param favourable per row, whether its training label is the favourable outcome
     * @throws IllegalArgumentException for mismatched lengths or no rows
     */
    public static Result weights(ProtectedAttribute attribute, boolean[] favourable) {
        int n = favourable.length;
        if (n == 0) throw new IllegalArgumentException("no training rows to reweigh");
        if (attribute.rows() != n) {
            throw new IllegalArgumentException("attribute '" + attribute.name() + "' has " + attribute.rows()
                    + " rows but there are " + n + " labels; they must describe the same rows");
        }
        int groups = attribute.groups().size();
        long[][] cell = new long[groups][2];
        long[] byGroup = new long[groups];
        long[] byLabel = new long[2];
        for (int i = 0; i < n; i++) {
            int a = attribute.code(i), y = favourable[i] ? 1 : 0;
            cell[a][y]++;
            byGroup[a]++;
            byLabel[y]++;
        }
        double[][] w = new double[groups][2];
        List<Cell> cells = new ArrayList<>();
        for (int a = 0; a < groups; a++) {
            for (int y = 0; y < 2; y++) {
                // Counts, not probabilities, so the weight is one division of exact integers' products.
                w[a][y] = cell[a][y] == 0 ? Double.NaN
                        : (double) byGroup[a] * byLabel[y] / ((double) n * cell[a][y]);
                cells.add(new Cell(attribute.groups().get(a), y == 1, (int) cell[a][y], w[a][y]));
            }
        }
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) weights[i] = w[attribute.code(i)][favourable[i] ? 1 : 0];
        return new Result(attribute.name(), weights, cells);
    }
}
