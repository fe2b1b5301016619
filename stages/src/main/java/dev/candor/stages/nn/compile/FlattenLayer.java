package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.TensorShape;
import java.util.List;

/** [N, C, H, W] to [N, C*H*W], row-major (as ONNX Flatten). */
final class FlattenLayer implements Layer {
    private final String name;
    private final TensorShape in;

    FlattenLayer(String name, TensorShape in) {
        this.name = name;
        this.in = in;
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
        return TensorShape.of(in.size());
    }

    @Override
    public Forward forward(GraphBuilder g, String x, Context ctx) {
        String y = in.rank() == 1 ? x : g.op("Flatten", List.of(x), GraphBuilder.attr("axis", 1L));
        return new Forward() {
            public String output() {
                return y;
            }

            public String backward(GraphBuilder b, String dy, boolean needDx, Gradients grads) {
                if (!needDx) return "";
                return in.rank() == 1 ? dy : b.reshape(dy, in.withBatch(-1));
            }
        };
    }
}
