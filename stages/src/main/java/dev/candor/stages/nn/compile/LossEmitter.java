package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.LossSpec;
import java.util.List;

/**
 * Emits a loss on the logits {@code z} [N, K] and targets {@code y} [N, K] (one-hot for classification, 0/1
 * for binary cross-entropy), together with its gradient with respect to {@code z}. Softmax and sigmoid are
 * fused with their cross-entropies so the gradient is the stable {@code p - y}.
 */
final class LossEmitter {
    /**
     * The batch loss (scalar), the predictions ([N, K] probabilities or values), dLoss/dz, and, when asked for,
     * each example's own gradient d(w_i l_i)/dz_i [N, K] (DP-SGD clips these; empty otherwise).
     */
    record Emitted(String loss, String predictions, String dz, String dzPerExample) { }

    private LossEmitter() {
    }

    static Emitted emit(GraphBuilder g, LossSpec spec, String z, String y, int outputs, boolean withGradient) {
        return emit(g, spec, z, y, outputs, withGradient, "", false);
    }

    /**
     * @param exampleWeights a [N, 1] graph value multiplying each row's loss (with class weights, their product),
     *                       or "" for none; the loss is then sum(w_i l_i) / sum(w_i)
     * @param perExample     whether to emit {@link Emitted#dzPerExample()}
     */
    static Emitted emit(GraphBuilder g, LossSpec spec, String z, String y, int outputs, boolean withGradient,
                        String exampleWeights, boolean perExample) {
        List<Double> cw = spec.classWeights();
        String ew = exampleWeights.isEmpty() ? null : exampleWeights;
        return switch (spec.kind()) {
            case CROSS_ENTROPY -> {
                String logp = g.op("LogSoftmax", List.of(z), GraphBuilder.attr("axis", 1L));
                String p = g.unary("Exp", logp);
                String li = g.unary("Neg", g.reduceSum(g.mul(y, logp), true, 1));
                String w = cw.isEmpty() ? null : g.reduceSum(g.mul(y, g.constant(unbox(cw), cw.size())), true, 1);
                yield weighted(g, li, both(g, w, ew), z, p, withGradient ? g.sub(p, y) : null, perExample);
            }
            case BINARY_CROSS_ENTROPY -> {
                // max(z, 0) - z y + log(1 + exp(-|z|)): exact and without overflow for large |z|
                String li = g.add(g.sub(g.unary("Relu", z), g.mul(z, y)),
                        g.unary("Log", g.add(g.scalar(1), g.unary("Exp", g.unary("Neg", g.unary("Abs", z))))));
                String s = g.unary("Sigmoid", z);
                String w = cw.isEmpty() ? null : g.add(g.scalar(cw.get(0)), g.scale(y, cw.get(1) - cw.get(0)));
                yield weighted(g, li, both(g, w, ew), z, s, withGradient ? g.sub(s, y) : null, perExample);
            }
            case MSE -> {
                String d = g.sub(z, y);
                if (ew == null && !perExample) {
                    String loss = g.op("ReduceMean", List.of(g.mul(d, d)), GraphBuilder.attr("keepdims", 0L));
                    String dz = withGradient ? g.div(g.scale(d, 2.0 / outputs), g.batchSize(z)) : null;
                    yield new Emitted(loss, z, dz, "");
                }
                // l_i = mean over the outputs of (z - y)^2
                String li = g.scale(g.reduceSum(g.mul(d, d), true, 1), 1.0 / outputs);
                yield weighted(g, li, ew, z, z, withGradient ? g.scale(d, 2.0 / outputs) : null, perExample);
            }
            case HINGE -> {
                String t = g.sub(g.scale(y, 2), g.scalar(1));
                String m = g.unary("Relu", g.sub(g.scalar(1), g.mul(t, z)));
                String li = g.reduceSum(m, true, 1);
                String w = cw.isEmpty() ? null : g.reduceSum(g.mul(y, g.constant(unbox(cw), cw.size())), true, 1);
                String p = g.op("Softmax", List.of(z), GraphBuilder.attr("axis", 1L));
                yield weighted(g, li, both(g, w, ew), z, p, withGradient ? g.unary("Neg", g.mul(t, g.positive(m))) : null,
                        perExample);
            }
        };
    }

    private static String both(GraphBuilder g, String classWeight, String exampleWeight) {
        if (classWeight == null) return exampleWeight;
        return exampleWeight == null ? classWeight : g.mul(classWeight, exampleWeight);
    }

    /**
     * The (weighted) mean of the per-example losses {@code li} [N, 1] and the gradient {@code perExample}
     * (dli/dz) scaled the same way; with {@code wantPerExample}, also each row's own weighted gradient.
     */
    private static Emitted weighted(GraphBuilder g, String li, String w, String z, String predictions, String perExample,
                                    boolean wantPerExample) {
        if (w == null) {
            String n = g.batchSize(z);
            String loss = g.div(g.reduceSum(li, false), n);
            return new Emitted(loss, predictions, perExample == null ? null : g.div(perExample, n),
                    wantPerExample && perExample != null ? perExample : "");
        }
        // A batch whose rows all weigh 0 (possible with example weights) contributes nothing instead of 0/0.
        String total = g.op("Max", List.of(g.reduceSum(w, false), g.scalar(1e-30)));
        String loss = g.div(g.reduceSum(g.mul(li, w), false), total);
        String own = perExample == null ? null : g.mul(perExample, w);
        return new Emitted(loss, predictions, own == null ? null : g.div(own, total),
                wantPerExample && own != null ? own : "");
    }

    private static double[] unbox(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
