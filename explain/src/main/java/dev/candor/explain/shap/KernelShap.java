package dev.candor.explain.shap;

import dev.candor.explain.Predictor;
import dev.candor.explain.internal.LinearSolve;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * KernelSHAP (Lundberg &amp; Lee 2017, "A Unified Approach to Interpreting Model Predictions", NeurIPS): model-agnostic
 * Shapley values of a {@link Predictor}'s outputs under the interventional value function
 * {@code v(S) = Σ_b w_b f(x_S, b_{¬S})} over a weighted {@link Background}.
 *
 * <ul>
 *   <li><b>Exact</b> when there are at most {@link Options#maxExactPlayers()} players: every coalition is evaluated
 *       and the values come from the Shapley formula {@code φ_i = Σ_{S∌i} |S|!(M−|S|−1)!/M! (v(S∪i) − v(S))}.</li>
 *   <li><b>Sampled</b> otherwise: coalitions planned by {@link CoalitionPlan} (complete small and large sizes, then
 *       paired draws in proportion to the Shapley kernel), and the values solve the kernel-weighted least squares
 *       with efficiency imposed as a constraint, so they sum to {@code f(x) − E[f(background)]}.</li>
 * </ul>
 *
 * <p><b>Cost:</b> the model sees {@code coalitions × background rows + 1} rows per explanation, streamed through one
 * reused buffer of {@link Options#batchRows()} rows, so an explanation makes
 * {@code ⌈rows / batchRows⌉} {@link Predictor#predict} calls. The background's own predictions (the base value) are
 * computed once, at construction. {@link #explainAll} explains rows in parallel on {@link Options#threads()} threads.
 *
 * <p>Instances are immutable and thread-safe; results are a function of the inputs and the seed only.
 */
public final class KernelShap {

    /**
     * Settings.
     *
     * @param maxExactPlayers up to this many players every coalition is enumerated (1..20; 2^M coalitions)
     * @param sampleBudget    coalitions evaluated in sampled mode; 0 picks {@code 2M + 2048}, the reference default
     * @param batchRows       rows per {@link Predictor#predict} call (&gt;= 1)
     * @param threads         worker threads for {@link #explainAll} (&gt;= 1)
     * @param seed            the seed of the coalition draws
     */
    public record Options(int maxExactPlayers, int sampleBudget, int batchRows, int threads, long seed) {
        public Options {
            if (maxExactPlayers < 0 || maxExactPlayers > 20) {
                throw new IllegalArgumentException("maxExactPlayers must be in 0..20 (2^M coalitions), got "
                        + maxExactPlayers);
            }
            if (sampleBudget < 0) throw new IllegalArgumentException("sampleBudget must be >= 0 (0 = automatic), got "
                    + sampleBudget);
            if (batchRows < 1) throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }

        /** Exact up to 14 players, automatic budget, 8192 rows per call, every core, seed 0. */
        public static Options defaults() {
            return new Options(14, 0, 8192, Runtime.getRuntime().availableProcessors(), 0L);
        }

        public Options withMaxExactPlayers(int v) {
            return new Options(v, sampleBudget, batchRows, threads, seed);
        }

        public Options withSampleBudget(int v) {
            return new Options(maxExactPlayers, v, batchRows, threads, seed);
        }

        public Options withBatchRows(int v) {
            return new Options(maxExactPlayers, sampleBudget, v, threads, seed);
        }

        public Options withThreads(int v) {
            return new Options(maxExactPlayers, sampleBudget, batchRows, v, seed);
        }

        public Options withSeed(long v) {
            return new Options(maxExactPlayers, sampleBudget, batchRows, threads, v);
        }

        /** The number of coalitions sampled mode evaluates for {@code players} players. */
        public int budgetFor(int players) {
            return sampleBudget == 0 ? 2 * players + 2048 : sampleBudget;
        }
    }

    private final Predictor model;
    private final Background background;
    private final Players players;
    private final Options options;
    private final int width;
    private final int outputs;
    private final double[] base;

    public KernelShap(Predictor model, Background background, Players players, Options options) {
        this.model = model;
        this.background = background;
        this.players = players;
        this.options = options;
        this.width = model.inputWidth();
        this.outputs = model.outputWidth();
        if (background.width() != width) {
            throw new IllegalArgumentException("the background has " + background.width()
                    + " columns but the model takes " + width + "; summarize rows of the model's input");
        }
        players.checkWidth(width);
        int m = players.size();
        if (m > options.maxExactPlayers() && options.budgetFor(m) < 2 * m) {
            throw new IllegalArgumentException("a sample budget of " + options.budgetFor(m) + " coalitions cannot"
                    + " determine " + m + " players; use at least " + (2 * m) + " (0 picks " + (2 * m + 2048) + ")");
        }
        this.base = new double[outputs];
        float[] out = new float[background.size() * outputs];
        model.predict(background.rowsRaw(), background.size(), out);
        double[] w = background.weightsRaw();
        for (int b = 0; b < background.size(); b++) {
            for (int k = 0; k < outputs; k++) base[k] += w[b] * out[b * outputs + k];
        }
    }

    /** The expected model output over the background, per output. */
    public double[] baseValue() {
        return base.clone();
    }

    /** Explains one row with the options' seed. */
    public ShapValues explain(float[] x) {
        return explain(x, options.seed());
    }

    /** Explains one row, drawing coalitions (sampled mode only) from {@code seed}. */
    public ShapValues explain(float[] x, long seed) {
        return explain(x, seed, new Workspace(options.batchRows(), width, outputs));
    }

    /**
     * Explains every row, in parallel. Row {@code i} gets the same values as {@code explain(rows[i], rowSeed(i))},
     * whatever the thread count.
     */
    public List<ShapValues> explainAll(float[][] rows) {
        ShapValues[] results = new ShapValues[rows.length];
        int threads = Math.min(options.threads(), Math.max(1, rows.length));
        if (threads == 1) {
            Workspace ws = new Workspace(options.batchRows(), width, outputs);
            for (int i = 0; i < rows.length; i++) results[i] = explain(rows[i], rowSeed(i), ws);
            return List.of(results);
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "candor-kernelshap");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    Workspace ws = new Workspace(options.batchRows(), width, outputs);
                    for (int i = next.getAndIncrement(); i < rows.length; i = next.getAndIncrement()) {
                        results[i] = explain(rows[i], rowSeed(i), ws);
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while explaining " + rows.length + " rows", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("explaining failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.of(results);
    }

    /** The seed {@link #explainAll} uses for row {@code i}: a mix of the options' seed and the row index. */
    public long rowSeed(int i) {
        return new SplittableRandom(options.seed() ^ (0x9E3779B97F4A7C15L * (i + 1L))).nextLong();
    }

    private ShapValues explain(float[] x, long seed, Workspace ws) {
        if (x.length != width) {
            throw new IllegalArgumentException("the row has " + x.length + " values, the model takes " + width);
        }
        int m = players.size();
        boolean exact = m <= options.maxExactPlayers();
        CoalitionPlan plan = exact ? null : CoalitionPlan.sampled(m, options.budgetFor(m), new SplittableRandom(seed));
        int coalitions = exact ? (1 << m) - 2 : plan.count;
        // v holds, per coalition, the background-weighted mean output; f(x) rides along as the stream's last row.
        double[] v = new double[(coalitions + 1) * outputs];
        long rows = evaluate(x, m, coalitions, plan, v, ws);
        double[] fx = Arrays.copyOfRange(v, coalitions * outputs, (coalitions + 1) * outputs);
        double[][] values = exact ? shapleyFormula(m, v, fx) : regression(m, plan, v, fx);
        return new ShapValues(model.outputNames(), players.names(), values, base, fx,
                exact ? ShapValues.Method.KERNEL_EXACT : ShapValues.Method.KERNEL_SAMPLED,
                ShapValues.OutputSpace.PROBABILITY, rows);
    }

    /** Streams coalitions × background rows (then x itself) through the model; returns the rows scored. */
    private long evaluate(float[] x, int m, int coalitions, CoalitionPlan plan, double[] v, Workspace ws) {
        int nb = background.size();
        float[] bg = background.rowsRaw();
        double[] bw = background.weightsRaw();
        int cap = options.batchRows();
        long total = (long) coalitions * nb + 1;
        int filled = 0;
        long firstRow = 0;
        for (int c = 0; c <= coalitions; c++) {
            if (c == coalitions) {
                System.arraycopy(x, 0, ws.in, filled * width, width);
                filled++;
                break;
            }
            int nCols = 0;
            for (int p = 0; p < m; p++) {
                boolean in = plan == null ? ((c + 1) & (1 << p)) != 0 : plan.contains(c, p);
                if (!in) continue;
                for (int col : players.columnsRaw(p)) ws.cols[nCols++] = col;
            }
            for (int b = 0; b < nb; b++) {
                int at = filled * width;
                System.arraycopy(bg, b * width, ws.in, at, width);
                for (int j = 0; j < nCols; j++) ws.in[at + ws.cols[j]] = x[ws.cols[j]];
                if (++filled == cap) {
                    flush(filled, firstRow, nb, coalitions, bw, v, ws);
                    firstRow += filled;
                    filled = 0;
                }
            }
        }
        if (filled > 0) flush(filled, firstRow, nb, coalitions, bw, v, ws);
        return total;
    }

    private void flush(int n, long firstRow, int nb, int coalitions, double[] bw, double[] v, Workspace ws) {
        model.predict(ws.in, n, ws.out);
        for (int r = 0; r < n; r++) {
            long g = firstRow + r;
            int c = (int) (g / nb);
            double w;
            if (c >= coalitions) { // the explained row itself
                c = coalitions;
                w = 1;
            } else {
                w = bw[(int) (g - (long) c * nb)];
            }
            int vo = c * outputs;
            int oo = r * outputs;
            for (int k = 0; k < outputs; k++) v[vo + k] += w * ws.out[oo + k];
        }
    }

    /** The Shapley formula over all 2^M coalitions; coalition {@code S} (a bit set, not empty or full) is v[S−1]. */
    private double[][] shapleyFormula(int m, double[] v, double[] fx) {
        int full = (1 << m) - 1;
        double[] weightBySize = new double[m];
        for (int s = 0; s < m; s++) weightBySize[s] = 1.0 / (m * CoalitionPlan.binomial(m - 1, s));
        double[][] phi = new double[outputs][m];
        for (int k = 0; k < outputs; k++) {
            for (int s = 0; s < full; s++) {
                double vs = s == 0 ? base[k] : v[(s - 1) * outputs + k];
                double w = weightBySize[Integer.bitCount(s)];
                for (int i = 0; i < m; i++) {
                    if ((s & (1 << i)) != 0) continue;
                    int t = s | (1 << i);
                    double vt = t == full ? fx[k] : v[(t - 1) * outputs + k];
                    phi[k][i] += w * (vt - vs);
                }
            }
        }
        return phi;
    }

    /** Kernel-weighted least squares with Σφ = f(x) − base imposed. */
    private double[][] regression(int m, CoalitionPlan plan, double[] v, double[] fx) {
        int c = plan.count;
        double[] z = new double[c * m];
        for (int r = 0; r < c; r++) for (int p = 0; p < m; p++) if (plan.contains(r, p)) z[r * m + p] = 1;
        double[][] ys = new double[outputs][c];
        double[] totals = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            for (int r = 0; r < c; r++) ys[k][r] = v[r * outputs + k] - base[k];
            totals[k] = fx[k] - base[k];
        }
        try {
            return LinearSolve.constrainedWeightedLeastSquares(z, ys, plan.weights, c, m, totals);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("KernelSHAP's regression over " + c + " coalitions of " + m
                    + " players is singular; raise the sample budget (now " + options.budgetFor(m) + ")", e);
        }
    }

    /** Per-thread buffers, reused across explanations. */
    private static final class Workspace {
        final float[] in;
        final float[] out;
        final int[] cols;

        Workspace(int batchRows, int width, int outputs) {
            in = new float[batchRows * width];
            out = new float[batchRows * outputs];
            cols = new int[width];
        }
    }
}
