package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.TensorShape;
import java.util.List;

/** {@code y = x W + b} with W [in, out]; the activation is a separate {@link ActivationLayer}. */
final class DenseLayer implements Layer {
    private final String name;
    private final int in;
    private final int out;
    private final Param w;
    private final Param b;

    DenseLayer(String name, int in, int out, Param.Init init) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.w = new Param(name + ".W", List.of((long) in, (long) out), init, true, in, out);
        this.b = new Param(name + ".b", List.of((long) out), Param.Init.ZEROS, false, in, out);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TensorShape inputShape() {
        return TensorShape.of(in);
    }

    @Override
    public TensorShape outputShape() {
        return TensorShape.of(out);
    }

    @Override
    public List<Param> params() {
        return List.of(w, b);
    }

    @Override
    public Forward forward(GraphBuilder g, String x, Context ctx) {
        String wv = ctx.value(w);
        String y = g.op("Gemm", List.of(x, wv, ctx.value(b)));
        return new Forward() {
            public String output() {
                return y;
            }

            public String backward(GraphBuilder g2, String dy, boolean needDx, Gradients grads) {
                grads.dense(g2, w, b, x, dy);
                return needDx ? g2.op("Gemm", List.of(dy, wv), GraphBuilder.attr("transB", 1L)) : "";
            }
        };
    }
}
