package dev.candor.explain.shap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The coalitions KernelSHAP evaluates in sampled mode, with their regression weights, planned as in Lundberg &amp;
 * Lee (2017) and the reference implementation: coalition sizes carry the Shapley kernel's mass
 * {@code (M−1) / (s (M−s))}; a size (with its complement size) whose every coalition fits into the budget is
 * enumerated completely, smallest and largest sizes first, as they carry the most mass; the remaining budget is spent
 * on coalitions of the remaining sizes drawn in proportion to the kernel, each with its complement (paired,
 * antithetic sampling), repeated draws adding weight rather than new rows.
 *
 * <p>Masks are bit sets, {@code words} longs per coalition.
 */
final class CoalitionPlan {
    final int players;
    final int words;
    final int count;
    final long[] masks;
    final double[] weights;

    private CoalitionPlan(int players, int words, int count, long[] masks, double[] weights) {
        this.players = players;
        this.words = words;
        this.count = count;
        this.masks = masks;
        this.weights = weights;
    }

    boolean contains(int coalition, int player) {
        return (masks[coalition * words + (player >>> 6)] & (1L << (player & 63))) != 0;
    }

    static CoalitionPlan sampled(int m, int budget, SplittableRandom rng) {
        Builder b = new Builder(m);
        int sizes = (m - 1 + 1) / 2; // ceil((m−1)/2): sizes 1..sizes, each paired with m−s
        int pairedSizes = (m - 1) / 2; // sizes whose complement size differs
        double[] kernel = new double[sizes];
        double total = 0;
        for (int s = 1; s <= sizes; s++) {
            kernel[s - 1] = (m - 1.0) / (s * (double) (m - s));
            if (s <= pairedSizes) kernel[s - 1] *= 2;
            total += kernel[s - 1];
        }
        for (int s = 0; s < sizes; s++) kernel[s] /= total;

        double[] remaining = kernel.clone();
        int left = budget;
        int fullSizes = 0;
        for (int s = 1; s <= sizes; s++) {
            double subsets = binomial(m, s) * (s <= pairedSizes ? 2.0 : 1.0);
            if (left * remaining[s - 1] / subsets < 1.0 - 1e-8) break;
            fullSizes++;
            left -= (int) subsets;
            if (remaining[s - 1] < 1) {
                double scale = 1 - remaining[s - 1];
                for (int t = 0; t < sizes; t++) remaining[t] /= scale;
            }
            double w = kernel[s - 1] / binomial(m, s);
            if (s <= pairedSizes) w /= 2;
            int[] combo = new int[s];
            for (int i = 0; i < s; i++) combo[i] = i;
            do {
                long[] mask = b.mask(combo, s);
                b.add(mask, w);
                if (s <= pairedSizes) b.add(complement(mask, m), w);
            } while (nextCombination(combo, m));
        }
        int fixed = b.count;
        if (fullSizes < sizes && left > 0) {
            double[] draw = new double[sizes - fullSizes];
            double drawTotal = 0;
            for (int t = fullSizes; t < sizes; t++) {
                draw[t - fullSizes] = kernel[t] / (t < pairedSizes ? 2 : 1);
                drawTotal += draw[t - fullSizes];
            }
            int[] perm = new int[m];
            for (int i = 0; i < m; i++) perm[i] = i;
            int attempts = 0;
            int maxAttempts = Math.max(left * 4, 1000);
            while (left > 0 && attempts++ < maxAttempts) {
                double u = rng.nextDouble() * drawTotal;
                int pick = draw.length - 1;
                double acc = 0;
                for (int t = 0; t < draw.length; t++) {
                    acc += draw[t];
                    if (u < acc) {
                        pick = t;
                        break;
                    }
                }
                int s = fullSizes + pick + 1;
                for (int i = 0; i < s; i++) { // partial Fisher–Yates: the first s entries are a uniform subset
                    int j = i + rng.nextInt(m - i);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                long[] mask = b.mask(perm, s);
                if (b.add(mask, 1.0)) left--;
                if (left > 0 && s <= pairedSizes) {
                    if (b.add(complement(mask, m), 1.0)) left--;
                }
            }
            double weightLeft = 0;
            for (int t = fullSizes; t < sizes; t++) weightLeft += kernel[t];
            double sampledSum = 0;
            for (int c = fixed; c < b.count; c++) sampledSum += b.weights[c];
            if (sampledSum > 0) for (int c = fixed; c < b.count; c++) b.weights[c] *= weightLeft / sampledSum;
        }
        return b.build();
    }

    private static long[] complement(long[] mask, int m) {
        long[] c = new long[mask.length];
        for (int i = 0; i < m; i++) if ((mask[i >>> 6] & (1L << (i & 63))) == 0) c[i >>> 6] |= 1L << (i & 63);
        return c;
    }

    private static boolean nextCombination(int[] combo, int m) {
        int k = combo.length;
        int i = k - 1;
        while (i >= 0 && combo[i] == m - k + i) i--;
        if (i < 0) return false;
        combo[i]++;
        for (int j = i + 1; j < k; j++) combo[j] = combo[j - 1] + 1;
        return true;
    }

    static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return Math.rint(r);
    }

    /** Collects distinct coalitions; a repeated coalition adds to its weight instead of taking a new row. */
    private static final class Builder {
        final int m;
        final int words;
        long[] masks = new long[64];
        double[] weights = new double[64];
        int count;
        final Map<Key, Integer> index = new HashMap<>();

        Builder(int m) {
            this.m = m;
            this.words = (m + 63) >>> 6;
            masks = new long[64 * words];
        }

        long[] mask(int[] members, int s) {
            long[] mask = new long[words];
            for (int i = 0; i < s; i++) mask[members[i] >>> 6] |= 1L << (members[i] & 63);
            return mask;
        }

        /** Adds a coalition or its weight; true when the coalition is new. */
        boolean add(long[] mask, double w) {
            Key key = new Key(mask);
            Integer at = index.get(key);
            if (at != null) {
                weights[at] += w;
                return false;
            }
            if (count == weights.length) {
                weights = Arrays.copyOf(weights, count * 2);
                masks = Arrays.copyOf(masks, count * 2 * words);
            }
            System.arraycopy(mask, 0, masks, count * words, words);
            weights[count] = w;
            index.put(key, count++);
            return true;
        }

        CoalitionPlan build() {
            return new CoalitionPlan(m, words, count, Arrays.copyOf(masks, count * words),
                    Arrays.copyOf(weights, count));
        }
    }

    private record Key(long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bits, k.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }
}
