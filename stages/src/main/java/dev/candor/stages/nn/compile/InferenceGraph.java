package dev.candor.stages.nn.compile;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.candor.stages.nn.model.LossSpec;
import java.util.List;
import java.util.Map;

/**
 * The exported model: the forward pass in inference mode with trained values baked in as float32 initializers,
 * input {@link GraphNames#INFER_INPUT} [N, input size], output {@link GraphNames#PROBABILITIES}: softmax
 * probabilities for cross-entropy and hinge, [1 - p, p] for binary cross-entropy, raw values for MSE.
 */
public final class InferenceGraph {
    private InferenceGraph() {
    }

    /** @param values trained parameters and buffers by name, each of its {@link Param#size()} */
    public static ModelProto build(CompiledModel model, Map<String, float[]> values) {
        GraphBuilder g = new GraphBuilder("candor_inference", false);
        g.input(GraphNames.INFER_INPUT, "N", (long) model.input().size());
        for (Param p : concat(model.params(), model.buffers())) {
            float[] v = values.get(p.name());
            if (v == null || v.length != p.size()) {
                throw new IllegalArgumentException("parameter " + p.name() + " needs " + p.size() + " values, got "
                        + (v == null ? "none" : v.length));
            }
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            g.initializer(g.tensor(p.name(), d, p.dims()));
        }
        String z = TrainStepCompiler.forward(g, model.layers(), model.input(), GraphNames.INFER_INPUT,
                new TrainStepCompiler.GraphContext(Mode.INFER, Param::name));
        LossSpec.Kind kind = model.spec().loss().kind();
        String out = switch (kind) {
            case CROSS_ENTROPY, HINGE -> g.op("Softmax", List.of(z), GraphBuilder.attr("axis", 1L));
            case BINARY_CROSS_ENTROPY -> {
                String p = g.unary("Sigmoid", z);
                yield g.op("Concat", List.of(g.sub(g.scalar(1), p), p), GraphBuilder.attr("axis", 1L));
            }
            case MSE -> z;
        };
        long width = kind == LossSpec.Kind.BINARY_CROSS_ENTROPY ? 2 : model.outputs();
        g.rename(out, GraphNames.PROBABILITIES);
        g.output(GraphNames.PROBABILITIES, "N", width);
        return g.build();
    }

    private static List<Param> concat(List<Param> a, List<Param> b) {
        java.util.ArrayList<Param> r = new java.util.ArrayList<>(a);
        r.addAll(b);
        return r;
    }
}
