package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.Activation;
import dev.candor.stages.nn.model.TensorShape;
import java.util.List;

/** An activation applied to any shape (softmax over the last axis). */
final class ActivationLayer implements Layer {
    private final String name;
    private final Activation activation;
    private final TensorShape shape;

    ActivationLayer(String name, Activation activation, TensorShape shape) {
        this.name = name;
        this.activation = activation;
        this.shape = shape;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TensorShape inputShape() {
        return shape;
    }

    @Override
    public TensorShape outputShape() {
        return shape;
    }

    @Override
    public Forward forward(GraphBuilder g, String x, Context ctx) {
        String y = switch (activation) {
            case NONE -> x;
            case RELU -> g.unary("Relu", x);
            case LEAKY_RELU -> g.op("LeakyRelu", List.of(x), GraphBuilder.attr("alpha", (float) Activation.LEAKY_SLOPE));
            case SIGMOID -> g.unary("Sigmoid", x);
            case TANH -> g.unary("Tanh", x);
            case SOFTMAX -> g.op("Softmax", List.of(x), GraphBuilder.attr("axis", -1L));
        };
        return new Forward() {
            public String output() {
                return y;
            }

            public String backward(GraphBuilder b, String dy, boolean needDx, Gradients grads) {
                if (!needDx) return "";
                return switch (activation) {
                    case NONE -> dy;
                    case RELU -> b.mul(dy, b.positive(x));
                    case LEAKY_RELU -> {
                        // slope 1 where x > 0, else alpha: alpha + (1 - alpha) * [x > 0]
                        String slope = b.add(b.scalar(Activation.LEAKY_SLOPE),
                                b.scale(b.positive(x), 1 - Activation.LEAKY_SLOPE));
                        yield b.mul(dy, slope);
                    }
                    case SIGMOID -> b.mul(dy, b.mul(y, b.sub(b.scalar(1), y)));
                    case TANH -> b.mul(dy, b.sub(b.scalar(1), b.mul(y, y)));
                    case SOFTMAX -> {
                        // dx = y * (dy - sum_j dy_j y_j)
                        String dot = b.reduceSum(b.mul(dy, y), true, -1);
                        yield b.mul(y, b.sub(dy, dot));
                    }
                };
            }
        };
    }
}
