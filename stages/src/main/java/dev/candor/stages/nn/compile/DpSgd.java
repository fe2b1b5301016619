package dev.candor.stages.nn.compile;

/**
 * DP-SGD as compiled into the train step (Abadi et al. 2016, "Deep Learning with Differential Privacy", CCS,
 * Algorithm 1): each example's gradient is clipped to L2 norm {@code clip}, the clipped gradients are summed,
 * Gaussian noise N(0, σ²·clip²) is added per parameter (fed by the trainer as {@link GraphNames#noise} inputs),
 * and the sum is divided by {@code expectedBatch}, the expected size q·N of a Poisson-sampled batch (a fixed
 * denominator, so one example's influence on the update stays bounded by clip / expectedBatch).
 *
 * @param clip          the per-example clip norm C, &gt; 0
 * @param expectedBatch the divisor of the noisy sum, q·N (1 gives the noisy sum itself, for tests)
 */
public record DpSgd(double clip, double expectedBatch) {
    public DpSgd {
        if (!(clip > 0) || Double.isInfinite(clip)) throw new IllegalArgumentException("DP-SGD clip norm must be a number > 0, got " + clip);
        if (!(expectedBatch > 0) || Double.isInfinite(expectedBatch)) {
            throw new IllegalArgumentException("DP-SGD expected batch size must be > 0, got " + expectedBatch);
        }
    }
}
