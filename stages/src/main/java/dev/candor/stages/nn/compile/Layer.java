package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.TensorShape;
import java.util.List;

/**
 * One compiled layer: it owns its parameters and emits its forward pass, and for training its backward pass,
 * into a {@link GraphBuilder}. A recurrent cell fits the same contract: its forward emits the unrolled
 * (or {@code Loop}ed) recurrence and keeps what its backward needs inside the returned {@link Forward}.
 */
public interface Layer {
    /** Unique name, the prefix of its parameters' names, e.g. {@code dense1}. */
    String name();

    TensorShape inputShape();

    TensorShape outputShape();

    /** Trainable parameters. */
    default List<Param> params() {
        return List.of();
    }

    /** Non-trainable state that the train step updates (batch-norm running statistics). */
    default List<Param> buffers() {
        return List.of();
    }

    /** Emits the forward pass of {@code x} ([N, inputShape]); the result can emit the backward pass. */
    Forward forward(GraphBuilder g, String x, Context ctx);

    /** A forward pass that was emitted, holding the values its backward pass needs. */
    interface Forward {
        /** The output value ([N, outputShape]). */
        String output();

        /**
         * Emits the backward pass.
         *
         * @param dy        gradient of the loss with respect to {@link #output()}
         * @param needDx    whether the gradient with respect to the input is wanted (not for the first layer)
         * @param gradients where parameter gradients go
         * @return the gradient with respect to the input, or "" when {@code needDx} is false
         */
        String backward(GraphBuilder g, String dy, boolean needDx, Gradients gradients);
    }

    /** Receives parameter gradients. */
    @FunctionalInterface
    interface Gradients {
        void add(Param p, String gradient);

        /**
         * A dense layer's gradients from its input {@code a} [N, in] and output gradient {@code delta} [N, out]:
         * by default the batch sums {@code a^T delta} and {@code sum_i delta_i}. DP-SGD overrides it to clip each
         * example's contribution before the contraction (see {@link DpSgdEmitter}).
         */
        default void dense(GraphBuilder g, Param w, Param b, String a, String delta) {
            add(w, g.op("Gemm", List.of(a, delta), GraphBuilder.attr("transA", 1L)));
            add(b, g.reduceSum(delta, false, 0));
        }
    }

    /** What a layer asks of the graph it is emitted into. */
    interface Context {
        Mode mode();

        /** The value that holds parameter or buffer {@code p} (a graph input, or an initializer in INFER). */
        String value(Param p);

        /** The graph input holding this dropout layer's mask ({@link Mode#TRAIN} only). */
        String dropoutMask(Layer layer);

        /** Declares the new value of buffer {@code p} after this train step. */
        void updateBuffer(Param p, String newValue);
    }
}
