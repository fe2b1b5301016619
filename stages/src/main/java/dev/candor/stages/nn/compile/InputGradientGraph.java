package dev.candor.stages.nn.compile;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.candor.stages.nn.model.LossSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The input-gradient graph of a trained model, for saliency maps and Integrated Gradients (Sundararajan, Taly &amp;
 * Yan 2017): the forward pass in inference mode (dropout off) with the trained values baked in, then the backward
 * pass of the layers' own emitters ({@link Layer.Forward#backward} with {@code needDx}) from the exported output to
 * the input.
 *
 * <p>Inputs: {@value #INPUT} [N, input size] and {@value #OUTPUT_WEIGHTS} [N, outputs], a weight per output column
 * (a one-hot row picks one class). Outputs: {@value #OUTPUTS} [N, outputs], the exported model's output, and
 * {@value #GRADIENT} [N, input size], the gradient of {@code Σ_k weight[n,k] · output[n,k]} with respect to row
 * {@code n}'s input. The differentiated output is what {@link InferenceGraph} exports: the softmax probabilities for
 * cross-entropy and hinge, {@code [1 − p, p]} for binary cross-entropy, the raw values for MSE; so attributions are
 * in probability units and add up to a change of probability.
 *
 * <p>Batch norm has no backward pass outside the train step, so a model with batch norm is refused with that reason.
 */
public final class InputGradientGraph {
    public static final String INPUT = "features";
    public static final String OUTPUT_WEIGHTS = "output_weights";
    public static final String OUTPUTS = "outputs";
    public static final String GRADIENT = "gradient";

    private InputGradientGraph() {
    }

    /** The width of the differentiated output: 2 for binary cross-entropy ({@code [1 − p, p]}), else the logits. */
    public static int outputWidth(CompiledModel model) {
        return model.spec().loss().kind() == LossSpec.Kind.BINARY_CROSS_ENTROPY ? 2 : model.outputs();
    }

    /**
     * @param values trained parameters and buffers by name, each of its {@link Param#size()}
     * @throws IllegalArgumentException when a value is missing or the model holds a layer without an inference-mode
     *                                  backward pass (batch norm)
     */
    public static ModelProto build(CompiledModel model, Map<String, float[]> values) {
        GraphBuilder g = new GraphBuilder("candor_input_gradient", false);
        int width = outputWidth(model);
        g.input(INPUT, "N", (long) model.input().size());
        g.input(OUTPUT_WEIGHTS, "N", (long) width);
        List<Param> all = new ArrayList<>(model.params());
        all.addAll(model.buffers());
        for (Param p : all) {
            float[] v = values.get(p.name());
            if (v == null || v.length != p.size()) {
                throw new IllegalArgumentException("parameter " + p.name() + " needs " + p.size() + " values, got "
                        + (v == null ? "none" : v.length));
            }
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            g.initializer(g.tensor(p.name(), d, p.dims()));
        }
        for (Layer l : model.layers()) {
            if (l instanceof BatchNormLayer) {
                throw new IllegalArgumentException("layer '" + l.name() + "' is batch norm, which has no backward pass"
                        + " in inference mode here; input gradients (saliency, Integrated Gradients) need a model"
                        + " without batch norm, or use a model-agnostic explainer (explain.shap, explain.lime)");
            }
        }

        // forward, in inference mode, keeping each layer's emitted pass for its backward
        TrainStepCompiler.GraphContext ctx = new TrainStepCompiler.GraphContext(Mode.INFER, Param::name);
        // Max pooling emits the argmax indices its backward pass scatters through only in TRAIN mode; its output is
        // the same in every mode, and it uses no mask or buffer, so it alone is emitted as in training.
        TrainStepCompiler.GraphContext poolCtx = new TrainStepCompiler.GraphContext(Mode.TRAIN, Param::name);
        String h = model.input().rank() == 1 ? INPUT : g.reshape(INPUT, model.input().withBatch(-1));
        List<Layer.Forward> passes = new ArrayList<>();
        for (Layer l : model.layers()) {
            Layer.Forward f = l.forward(g, h, l instanceof PoolLayer ? poolCtx : ctx);
            passes.add(f);
            h = f.output();
        }
        String z = h;
        String w = OUTPUT_WEIGHTS;

        // the exported output and the gradient of Σ w·output with respect to the logits z
        String out;
        String dz;
        switch (model.spec().loss().kind()) {
            case CROSS_ENTROPY, HINGE -> {
                out = g.op("Softmax", List.of(z), GraphBuilder.attr("axis", 1L));
                // d(Σ_k w_k p_k)/dz_j = p_j (w_j − Σ_k w_k p_k)
                String wp = g.reduceSum(g.mul(w, out), true, 1L);
                dz = g.mul(out, g.sub(w, wp));
            }
            case BINARY_CROSS_ENTROPY -> {
                String p = g.unary("Sigmoid", z);
                out = g.op("Concat", List.of(g.sub(g.scalar(1), p), p), GraphBuilder.attr("axis", 1L));
                // output [1 − p, p]: d/dz = (w_1 − w_0) p (1 − p)
                List<String> parts = g.ops("Split", 2, List.of(w, g.ints(1, 1)), GraphBuilder.attr("axis", 1L));
                dz = g.mul(g.sub(parts.get(1), parts.get(0)), g.mul(p, g.sub(g.scalar(1), p)));
            }
            case MSE -> {
                out = z;
                dz = w;
            }
            default -> throw new IllegalStateException("no output for loss " + model.spec().loss().kind());
        }
        String dy = dz;
        Layer.Gradients ignore = (p, grad) -> { };
        for (int i = passes.size() - 1; i >= 0; i--) dy = passes.get(i).backward(g, dy, true, ignore);
        String dx = model.input().rank() == 1 ? dy : g.reshape(dy, -1, model.input().size());
        g.rename(out, OUTPUTS);
        g.output(OUTPUTS, "N", (long) width);
        g.rename(dx, GRADIENT);
        g.output(GRADIENT, "N", (long) model.input().size());
        return g.build();
    }
}
