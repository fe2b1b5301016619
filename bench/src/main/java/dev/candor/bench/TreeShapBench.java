package dev.candor.bench;

import dev.candor.explain.shap.DecisionTree;
import dev.candor.explain.shap.ShapValues;
import dev.candor.explain.shap.TreeShap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;

/**
 * TreeSHAP against brute force: the exact path-dependent Shapley values by enumerating all {@code 2^M} coalitions
 * (the value of a coalition computed by walking each tree, following the row on the coalition's features and
 * splitting by cover elsewhere), then the Shapley formula. The model: a forest of extremely randomized trees grown on
 * the first {@code M} breast-cancer features (random feature, random threshold between the node's extremes, leaves
 * holding the class distribution divided by the number of trees, covers the training rows that reached the node).
 * The brute force is written to be fair: flat leaf arrays, no allocation in the walk, single-threaded like TreeSHAP.
 *
 * <p>Arguments of {@code treeshap}: {@code [features=10] [trees=20] [depth=6]}.
 */
public final class TreeShapBench {

    public static void main(String[] args) throws Exception {
        int m = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int trees = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int depth = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        java.util.logging.LogManager.getLogManager().reset();
        CSVLoader<Label> loader = new CSVLoader<>(new LabelFactory());
        TrainTestSplitter<Label> split = new TrainTestSplitter<>(
                loader.loadDataSource(Path.of("examples/breast-cancer/data/breast_cancer_wisconsin.csv"), "diagnosis"),
                0.8, 42L);
        MutableDataset<Label> train = new MutableDataset<>(split.getTrain());
        MutableDataset<Label> test = new MutableDataset<>(split.getTest());
        List<Example<Label>> testList = new ArrayList<>();
        for (Example<Label> e : test) testList.add(e);
        run(train, ShapBench.rows(train, train.getFeatureIDMap()),
                ShapBench.rows(testList.subList(0, 20), train.getFeatureIDMap()), m, trees, depth, 42L);
    }

    static void run(Iterable<Example<Label>> train, float[][] trainRows, float[][] testRows, int m, int nTrees,
                    int depth, long seed) {
        double[] y = new double[trainRows.length];
        int i0 = 0;
        for (Example<Label> e : train) y[i0++] = e.getOutput().getLabel().equals("malignant") ? 1 : 0;
        float[][] xs = new float[trainRows.length][];
        for (int i = 0; i < xs.length; i++) xs[i] = Arrays.copyOf(trainRows[i], m);
        SplittableRandom rng = new SplittableRandom(seed);
        List<DecisionTree> forest = new ArrayList<>();
        int[] all = new int[xs.length];
        for (int i = 0; i < all.length; i++) all[i] = i;
        for (int t = 0; t < nTrees; t++) {
            List<DecisionTree.Node> nodes = new ArrayList<>();
            grow(nodes, xs, y, all, depth, nTrees, rng);
            forest.add(new DecisionTree(nodes));
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < m; j++) names.add("f" + j);
        TreeShap shap = new TreeShap(forest, new double[2], List.of("benign", "malignant"), names);
        float[][] rows = new float[testRows.length][];
        for (int i = 0; i < rows.length; i++) rows[i] = Arrays.copyOf(testRows[i], m);
        int nodes = forest.stream().mapToInt(tr -> tr.nodes().size()).sum();
        System.out.printf(Locale.ROOT, "TreeSHAP vs brute force: %d trees (%d nodes, depth <= %d), %d features, %d rows,"
                + " 1 thread each%n", nTrees, nodes, depth, m, rows.length);

        // Warm up both (the JIT), then time each for at least a second over the same rows.
        timeRows(() -> { for (float[] r : rows) shap.explain(r); }, 0.5);
        timeRows(() -> { for (float[] r : rows) bruteForce(forest, r, m); }, 0.5);
        double treeRate = rows.length / timeRows(() -> { for (float[] r : rows) shap.explain(r); }, 1.0);
        double bruteRate = rows.length / timeRows(() -> { for (float[] r : rows) bruteForce(forest, r, m); }, 1.0);
        double maxDiff = 0;
        for (float[] r : rows) {
            double[][] brute = bruteForce(forest, r, m);
            ShapValues fast = shap.explain(r);
            for (int k = 0; k < 2; k++) {
                for (int j = 0; j < m; j++) maxDiff = Math.max(maxDiff, Math.abs(brute[k][j] - fast.value(k, j)));
            }
        }
        System.out.printf(Locale.ROOT, "  TreeSHAP     %12.1f rows/s%n  brute force  %12.1f rows/s (%d coalitions"
                + " x %d trees)%n  ratio TreeSHAP/brute force %.0fx; max |diff| %.2e%n", treeRate, bruteRate, 1 << m,
                nTrees, treeRate / bruteRate, maxDiff);
    }

    /** Seconds per pass of {@code pass}, repeated until at least {@code seconds} have gone by. */
    private static double timeRows(Runnable pass, double seconds) {
        int reps = 0;
        long t0 = System.nanoTime();
        double elapsed;
        do {
            pass.run();
            reps++;
            elapsed = (System.nanoTime() - t0) / 1e9;
        } while (elapsed < seconds);
        return elapsed / reps;
    }

    /** Grows one node (and its subtree) depth-first, so children follow their parent; returns its index. */
    private static int grow(List<DecisionTree.Node> nodes, float[][] xs, double[] y, int[] rows, int depth,
                            int nTrees, SplittableRandom rng) {
        int at = nodes.size();
        nodes.add(null);
        int m = xs[0].length;
        int feature = rng.nextInt(m);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int r : rows) {
            lo = Math.min(lo, xs[r][feature]);
            hi = Math.max(hi, xs[r][feature]);
        }
        if (depth == 0 || rows.length < 4 || !(hi > lo)) {
            double p = 0;
            for (int r : rows) p += y[r];
            p /= rows.length;
            nodes.set(at, new DecisionTree.Leaf(new double[] {(1 - p) / nTrees, p / nTrees}, rows.length));
            return at;
        }
        float threshold = (float) (lo + rng.nextDouble() * (hi - lo));
        int[] left = Arrays.stream(rows).filter(r -> xs[r][feature] <= threshold).toArray();
        int[] right = Arrays.stream(rows).filter(r -> xs[r][feature] > threshold).toArray();
        int t = grow(nodes, xs, y, left, depth - 1, nTrees, rng);
        int f = grow(nodes, xs, y, right, depth - 1, nTrees, rng);
        nodes.set(at, new DecisionTree.Split(feature, threshold, DecisionTree.Rule.LESS_OR_EQUAL, t, f, false,
                rows.length));
        return at;
    }

    /**
     * Exact path-dependent Shapley values by enumerating every coalition: {@code [output][feature]}. The value of a
     * coalition walks each tree once, carrying the cover fraction, without allocating.
     */
    static double[][] bruteForce(List<DecisionTree> forest, float[] x, int m) {
        int outputs = forest.get(0).outputs();
        double[][] v = new double[1 << m][outputs];
        List<List<DecisionTree.Node>> trees = new ArrayList<>();
        List<double[][]> leaves = new ArrayList<>();
        for (DecisionTree t : forest) {
            trees.add(t.nodes());
            double[][] values = new double[t.nodes().size()][];
            for (int i = 0; i < values.length; i++) {
                if (t.nodes().get(i) instanceof DecisionTree.Leaf leaf) values[i] = leaf.values();
            }
            leaves.add(values);
        }
        for (int s = 0; s < v.length; s++) {
            for (int t = 0; t < trees.size(); t++) accumulate(trees.get(t), leaves.get(t), 0, 1.0, x, s, v[s]);
        }
        double fact = factorial(m);
        double[] weightBySize = new double[m];
        for (int s = 0; s < m; s++) weightBySize[s] = factorial(s) * factorial(m - s - 1) / fact;
        double[][] phi = new double[outputs][m];
        for (int s = 0; s < v.length; s++) {
            double w = weightBySize[Math.min(Integer.bitCount(s), m - 1)];
            for (int j = 0; j < m; j++) {
                if ((s & (1 << j)) != 0) continue;
                for (int k = 0; k < outputs; k++) phi[k][j] += w * (v[s | (1 << j)][k] - v[s][k]);
            }
        }
        return phi;
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }

    /** Adds {@code weight ×} the tree's expected output below {@code node} given the coalition to {@code acc}. */
    private static void accumulate(List<DecisionTree.Node> nodes, double[][] leaves, int node, double weight,
                                   float[] x, int coalition, double[] acc) {
        DecisionTree.Node n = nodes.get(node);
        if (n instanceof DecisionTree.Split s) {
            if ((coalition & (1 << s.feature())) != 0) {
                int next = s.goesTrue(x[s.feature()]) ? s.trueChild() : s.falseChild();
                accumulate(nodes, leaves, next, weight, x, coalition, acc);
                return;
            }
            double ct = nodes.get(s.trueChild()).cover();
            double cf = nodes.get(s.falseChild()).cover();
            accumulate(nodes, leaves, s.trueChild(), weight * ct / (ct + cf), x, coalition, acc);
            accumulate(nodes, leaves, s.falseChild(), weight * cf / (ct + cf), x, coalition, acc);
            return;
        }
        double[] values = leaves[node];
        for (int k = 0; k < acc.length; k++) acc[k] += weight * values[k];
    }

    private TreeShapBench() {
    }
}
