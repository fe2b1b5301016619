package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.LayerSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.List;

/**
 * Max or average pooling on [N, C, H, W], no padding. Max pooling's backward pass routes dy to the arg-max
 * positions MaxPool reports (flat indices over the whole tensor) with an additive {@code ScatterElements}, so
 * overlapping windows are right too; average pooling's is a per-channel {@code ConvTranspose} with a constant
 * 1/(k*k) kernel.
 */
final class PoolLayer implements Layer {
    private final String name;
    private final LayerSpec.Pool spec;
    private final TensorShape in;
    private final TensorShape out;

    PoolLayer(String name, LayerSpec.Pool spec, TensorShape in) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException("pooling needs an image [channels x height x width], not a vector");
        }
        if (in.dim(1) < spec.size() || in.dim(2) < spec.size()) {
            throw new IllegalArgumentException("the " + spec.size() + "x" + spec.size() + " window is larger than the "
                    + in.dim(1) + "x" + in.dim(2) + " image; use a smaller window or remove a pooling layer");
        }
        this.name = name;
        this.spec = spec;
        this.in = in;
        this.out = TensorShape.of(in.dim(0), (in.dim(1) - spec.size()) / spec.stride() + 1,
                (in.dim(2) - spec.size()) / spec.stride() + 1);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TensorShape inputShape() {
        return in;
    }

    @Override
    public TensorShape outputShape() {
        return out;
    }

    @Override
    public Forward forward(GraphBuilder g, String x, Context ctx) {
        int k = spec.size();
        int s = spec.stride();
        var kernel = GraphBuilder.attrs("kernel_shape", k, k);
        var strides = GraphBuilder.attrs("strides", s, s);
        List<String> outs = spec.max() && ctx.mode() == Mode.TRAIN
                ? g.ops("MaxPool", 2, List.of(x), kernel, strides)
                : List.of(g.op(spec.max() ? "MaxPool" : "AveragePool", List.of(x), kernel, strides));
        String y = outs.get(0);
        return new Forward() {
            public String output() {
                return y;
            }

            public String backward(GraphBuilder b, String dy, boolean needDx, Gradients grads) {
                if (!needDx) return "";
                if (spec.max()) {
                    String flat = b.op("ScatterElements", List.of(b.reshape(b.zerosLike(x), -1), b.reshape(outs.get(1), -1),
                            b.reshape(dy, -1)), GraphBuilder.attr("axis", 0L), GraphBuilder.attr("reduction", "add"));
                    return b.reshape(flat, in.withBatch(-1));
                }
                int c = in.dim(0);
                double[] ones = new double[c * k * k];
                java.util.Arrays.fill(ones, 1.0 / (k * k));
                String w = b.constant(ones, c, 1, k, k);
                long oph = in.dim(1) - (long) s * (out.dim(1) - 1) - k;
                long opw = in.dim(2) - (long) s * (out.dim(2) - 1) - k;
                return b.op("ConvTranspose", List.of(dy, w), GraphBuilder.attr("group", (long) c), strides, kernel,
                        GraphBuilder.attrs("output_padding", oph, opw));
            }
        };
    }
}
