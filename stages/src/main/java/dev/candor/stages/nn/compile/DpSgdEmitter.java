package dev.candor.stages.nn.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Emits DP-SGD's per-example clipping (Abadi et al. 2016, Algorithm 1) without materializing per-example
 * gradients. The backward pass runs once on the per-example loss gradients (each row's own loss, not divided by
 * the batch size); every dense layer hands over its input {@code a} [N, in] and output gradient {@code δ} [N, out]
 * instead of contracting them. For a dense layer the example's weight gradient is the outer product a_i δ_iᵀ, so
 * its squared norm is ||a_i||²·||δ_i||² and its bias gradient's is ||δ_i||² (the "ghost norm" identity, Goodfellow
 * 2015, "Efficient Per-Example Gradient Computations"). Summed over layers they give each example's global norm
 * ||g_i||; c_i = min(1, C / ||g_i||). Backpropagation is linear in the loss gradient for a fixed forward pass, so
 * scaling δ_i by c_i at every layer scales example i's whole gradient by c_i: the contraction aᵀ(c ⊙ δ) is the sum
 * of the clipped per-example gradients. Then noise is added and the sum divided by the expected batch size.
 *
 * <p>Only layers whose parameters are dense weights and biases are supported: the compiler rejects the others
 * before emitting (batch norm mixes examples in its statistics; per-example convolution gradients are not
 * compiled).
 */
final class DpSgdEmitter implements Layer.Gradients {
    private record DenseGrad(Param w, Param b, String a, String delta) { }

    private final List<DenseGrad> dense = new ArrayList<>();

    @Override
    public void add(Param p, String gradient) {
        throw new IllegalStateException("parameter " + p.name() + " has a gradient DP-SGD cannot clip per example"
                + " (only dense layers' are supported)");
    }

    @Override
    public void dense(GraphBuilder g, Param w, Param b, String a, String delta) {
        dense.add(new DenseGrad(w, b, a, delta));
    }

    /**
     * Emits clipping, summing, noise and scaling into {@code grads}.
     *
     * @return the per-example clipped norm min(||g_i||, C) [N, 1] (a diagnostic output)
     */
    String emit(GraphBuilder g, DpSgd dp, Map<Param, String> grads) {
        String sq = null;
        for (DenseGrad d : dense) {
            String aa = g.reduceSum(g.mul(d.a(), d.a()), true, 1);
            String dd = g.reduceSum(g.mul(d.delta(), d.delta()), true, 1);
            String s = g.add(g.mul(aa, dd), dd);
            sq = sq == null ? s : g.add(sq, s);
        }
        if (sq == null) throw new IllegalStateException("DP-SGD found no dense layer to clip");
        String norm = g.unary("Sqrt", sq);
        // C / max(norm, tiny): an example with a zero gradient keeps factor 1 instead of 0/0.
        String factor = g.op("Min", List.of(g.scalar(1), g.div(g.scalar(dp.clip()), g.op("Max", List.of(norm, g.scalar(1e-30))))));
        for (DenseGrad d : dense) {
            String scaled = g.mul(d.delta(), factor);
            put(g, dp, grads, d.w(), g.op("Gemm", List.of(d.a(), scaled), GraphBuilder.attr("transA", 1L)));
            put(g, dp, grads, d.b(), g.reduceSum(scaled, false, 0));
        }
        return g.mul(norm, factor);
    }

    private static void put(GraphBuilder g, DpSgd dp, Map<Param, String> grads, Param p, String clippedSum) {
        String noisy = g.add(clippedSum, GraphNames.noise(p.name()));
        grads.put(p, g.scale(noisy, 1 / dp.expectedBatch()));
    }
}
