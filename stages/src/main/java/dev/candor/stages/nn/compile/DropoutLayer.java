package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.TensorShape;

/**
 * Inverted dropout. In the train step the output is {@code x * mask}, where the mask is a graph input holding 0
 * or 1/(1-p) per value; the trainer draws it from the seeded random stream (see {@code MaskSlot}). Elsewhere it
 * is the identity.
 */
final class DropoutLayer implements Layer {
    private final String name;
    private final double p;
    private final TensorShape shape;

    DropoutLayer(String name, double p, TensorShape shape) {
        this.name = name;
        this.p = p;
        this.shape = shape;
    }

    double p() {
        return p;
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
        String mask = ctx.mode() == Mode.TRAIN && p > 0 ? ctx.dropoutMask(this) : null;
        String y = mask == null ? x : g.mul(x, mask);
        return new Forward() {
            public String output() {
                return y;
            }

            public String backward(GraphBuilder b, String dy, boolean needDx, Gradients grads) {
                if (!needDx) return "";
                return mask == null ? dy : b.mul(dy, mask);
            }
        };
    }
}
